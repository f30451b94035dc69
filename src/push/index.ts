/**
 * Web Push (issue 6): RFC 8291 encryption, VAPID (RFC 8292), sending per RFC 8030.
 */
export { toBase64Url, fromBase64Url } from './base64url.ts';
export { encryptContent, deriveContentKeys, hmacSha256, contentHeader, type ContentEncryptionParams } from './encrypt-content.ts';
export { encryptPushMessage, webPushIkm, MAX_PUSH_BODY, MAX_PUSH_PLAINTEXT, PUSH_HEADER_LENGTH, PUSH_RECORD_SIZE, type PushEncryptionParams } from './encrypt-push-message.ts';
export { createEphemeralKeySource, ephemeralKeyFromPrivate, generateEphemeralKey, type EphemeralKey, type EphemeralKeySource, type FixedEphemeralKey } from './ephemeral-key.ts';
export { parseUserAgentKeys, p256PublicKey, type UserAgentKeys, type UserAgentKeysCheck } from './user-agent-keys.ts';
export { checkVapidKeys, generateVapidKeys, importVapidKeys, type VapidKeyPair, type VapidKeyProblem, type VapidKeyText } from './vapid-keys.ts';
export { checkVapidSubject } from './vapid-subject.ts';
export { createVapidAuthorizer, MAX_VAPID_EXPIRY_SECONDS, type VapidAuthorizer, type VapidAuthorizerOptions } from './vapid-authorizer.ts';
export { classifyPushResponse, parseRetryAfter, retryDelay, DEFAULT_PUSH_RETRY, type PushResponseClass, type PushRetryPolicy } from './push-response.ts';
export { createHttpTransport, type HttpTransport, type HttpTransportOptions, type PushRequest, type PushResponse, type PushTransport } from './http-transport.ts';
export {
  createPushSender,
  PUSH_OUTCOMES,
  PUSH_URGENCIES,
  type PushMessageOptions,
  type PushOutcome,
  type PushOutcomeKind,
  type PushRecipient,
  type PushSender,
  type PushSenderOptions,
  type PushStats,
  type PushUrgency,
} from './push-sender.ts';
export { compileEndpointAllowList, DEFAULT_PUSH_SERVICES, type EndpointCheck } from './endpoint-allow-list.ts';
export { parseSubscribeRequest, parseOrderLinkRequest, subscriptionIdOf, type SubscribeRequest, type OrderLinkRequest, type SubscribeContext, type Checked } from './subscribe-request.ts';
export { createPushRegistry, type PushRegistry, type PushRegistryDeps, type Addressee } from './push-registry.ts';
export { readNotificationInput, topicFor, type NotificationDefaults, type NotificationMessage } from './notification-input.ts';
export { createPushNotifier, describeSummary, type NotificationSpec, type NotifyResult, type NotifySummary, type PushNotifier, type PushNotifierDeps } from './push-notifier.ts';
