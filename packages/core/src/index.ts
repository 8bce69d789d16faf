/** @module @nn/core */
export { NNError, ErrorCode } from './errors.js';
export { assertJson, type JsonValue, type JsonObject, type JsonPrimitive } from './json.js';
export { editDistance, nearMisses } from './near.js';
export { Registry, registry, type RegistryKinds, type RegistryKind, type RegisterOptions } from './registry.js';
export { serialize, deserialize, isSerialized, FORMAT_VERSION, type Serialized, type Configurable, type Deserializable } from './serialize.js';
export { definePlugin, use, installedPlugins, type Plugin, type PluginEntries } from './plugin.js';
export { runCallbacks, type Callback, type CallbackClass, type Logs, type TrainingTarget } from './callbacks.js';
export {
  checkOptions,
  invalidArgument,
  optionError,
  showValue,
  finite,
  nonNegative,
  positive,
  integerAtLeast,
  positiveInteger,
  nonNegativeInteger,
  inRange,
  probability,
  bool,
  oneOfChoices,
  type OptionCheck,
  type CheckOptionsSettings,
} from './options.js';
export { Xoshiro128 } from './random.js';
export { crc32 } from './crc32.js';
export { escapeXml, roundPx, niceAxis, niceTicks, formatTick, lineChart, svgDocument, type ChartSeries, type LineChartOptions } from './svg.js';
