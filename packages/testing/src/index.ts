export * from './services.js';
export * from './dns-server.js';
export { manualClock, type ManualClock } from './clock.js';
export * from '@vigil/simulator';
export { startSmtpSink, type SmtpSink, type SmtpSinkOptions, type SmtpEnvelope } from './smtp-sink.js';
export { startSlackStandIn, type SlackStandIn, type SlackPost } from './slack-stand-in.js';
export { WaitTimeoutError, waitUntil } from './wait.js';
