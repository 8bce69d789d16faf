/**
 * The one error class of the toolkit. `code` is stable and machine-readable, so callers can branch on it
 * without parsing the message; `details` carries the values the message names (shapes, names, options).
 */
export class NNError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'NNError';
    this.code = code;
    this.details = details;
  }
}

/** Error codes used across packages. Third-party packages may use their own strings. */
export const ErrorCode = {
  UnknownEntry: 'UNKNOWN_ENTRY',
  RegistryConflict: 'REGISTRY_CONFLICT',
  PluginConflict: 'PLUGIN_CONFLICT',
  InvalidConfig: 'INVALID_CONFIG',
  UnsupportedFormat: 'UNSUPPORTED_FORMAT',
  NotSerializable: 'NOT_SERIALIZABLE',
  InvalidArgument: 'INVALID_ARGUMENT',
  ShapeMismatch: 'SHAPE_MISMATCH',
  StateMismatch: 'STATE_MISMATCH',
} as const;
