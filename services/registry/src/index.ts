// What the registry package gives other services: its client (the service itself starts from main.ts).
export * from './client';
