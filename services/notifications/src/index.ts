export { createNotificationsApp } from './main';
export { configSchema, type NotificationsConfig } from './config';
export {
  verifyWebhook,
  signWebhook,
  type VerifyWebhookInput,
  type VerifyWebhookResult,
} from './clients/webhook-signature';
export { EVENT_TYPES } from './use-cases/event-types';
