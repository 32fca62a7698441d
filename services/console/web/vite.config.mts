// Builds the console's web app into services/console/dist (git-ignored), served by the console service.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: `${here}/../dist`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      output: { manualChunks: { antd: ['antd', 'dayjs', '@ant-design/icons'] } },
    },
  },
});
