export { createNotificationsApp } from './app';
export { configSchema, type NotificationsConfig } from './config';
export { verifyWebhook, signWebhook, type VerifyWebhookInput, type VerifyWebhookResult } from './webhook-signature';
export { EVENT_TYPES } from './event-types';
