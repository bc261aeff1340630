export { runStreamDaemon, STREAM_LOCK_FILE, type StreamDaemonDeps, type StreamMetricsRegistry } from './daemon.js';
export { apiMessageOf, classifyFailure, isOperationalDisconnect, type FailureClass, type HttpFailure } from './classify.js';
export { nextDelay, attemptBudgetWait } from './backoff.js';
export { splitFrames } from './framing.js';
export { USER_AGENT, openStream, streamUrl, type StreamEndpoint } from './connection.js';
export { StreamHttpError, StreamSetupError } from './stream-errors.js';
