/** @module @nn/layers */
export { Layer, baseOptions, fmtShape, uniqueName, getLayerClass, checkLayerOptions, layerSize, LAYER_OPTION_NAMES, type Shape as LayerShape, type Weight, type WeightValue, type LayerOptions, type LayerClass, type RegularizerSpec, type ConstraintSpec } from './layer.js';
export type { OptimizerLike, RegularizerLike, ConstraintLike, AugmenterLike } from './kinds.js';
export {
  initializers, getInitializer, Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling,
  GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunNormal, LecunUniform, type Initializer, type InitializerSpec, type Fans,
} from './initializers.js';
export {
  activation, getActivation, prelu, swishActivation, ActivationLayer, Linear, Step, Sign, Sigmoid, Tanh, ReLU, LeakyReLU, ELU, SELU,
  Softplus, GELU, Mish, HardSigmoid, Softmax, LogSoftmax, MaxoutActivation, Swish, PReLU, SimpleActivation, type SimpleActivationClass,
  type ActivationSpec, type ActivationClass, type SwishOptions, type PReLUOptions,
} from './activations.js';
export { Dense, dense, type DenseOptions } from './dense.js';
export { Maxout, maxout, type MaxoutOptions } from './maxout.js';
export { BatchNorm, batchNorm, LayerNorm, layerNorm, type BatchNormOptions, type LayerNormOptions } from './normalization.js';
export { Residual, residual } from './residual.js';
export { Flatten, flatten } from './flatten.js';
export {
  ConvBase, Conv, Conv1D, Conv2D, DepthwiseConv2D, Conv2DTranspose, conv1d, conv2d, depthwiseConv2d, conv2dTranspose,
  type ConvBaseOptions, type ConvOptions, type DepthwiseConvOptions, type ConvTransposeOptions,
} from './conv.js';
export {
  Pooling, MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D, GlobalPooling, GlobalAveragePooling, GlobalMaxPooling,
  maxPool1d, maxPool2d, avgPool1d, avgPool2d, globalAvgPool, globalMaxPool, type PoolingOptions, type GlobalPoolingOptions,
} from './pooling.js';
export { Reshape, reshape } from './reshape.js';
export { UpSampling2D, upSampling2d, type UpSamplingOptions } from './upsampling.js';
export { ZeroPadding2D, zeroPadding2d, type ZeroPaddingOptions } from './zero-padding.js';
export {
  Loss, getLoss, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, MeanSquaredError, MeanAbsoluteError, Huber, Hinge,
  binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy, meanSquaredError, meanAbsoluteError, huber, hinge,
  type LossClass, type CrossentropyOptions,
} from './losses.js';
export {
  Metric, getMetric, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, Precision, Recall, AUC,
  MeanAbsoluteErrorMetric, MeanSquaredErrorMetric, type MetricClass,
} from './metrics.js';
export { ModelCheckpoint, modelCheckpoint, type ModelCheckpointOptions, type TrainingState } from './checkpoint.js';
export { TerminateOnNaN, terminateOnNaN, type DivergenceGuardOptions, type DivergenceEvent } from './divergence.js';
export { Model, type CompileOptions, type FitOptions, type EvaluateOptions } from './model.js';
export { trainStep, type TrainStepOptions } from './train-step.js';
export { Sequential, sequential } from './sequential.js';
export { History } from './history.js';
export { ProgressBar, formatLogs } from './progress.js';
export type { Data } from './data.js';
export { modelFromJSON } from './model.js';
export { saveModel, loadModel, MODEL_FILE, type SaveOptions } from './save.js';
export { Embedding, embedding, type EmbeddingOptions } from './embedding.js';
export {
  RNNCell, SimpleRNNCell, LSTMCell, GRUCell, simpleRNNCell, lstmCell, gruCell,
  type CellStep, type CellOptions, type GatedCellOptions, type LSTMCellOptions, type GRUCellOptions,
} from './recurrent/cells.js';
export {
  RNN, SimpleRNN, LSTM, GRU, rnn, simpleRNN, lstm, gru, type RNNOptions, type RNNRunOptions, type SimpleRNNOptions, type LSTMOptions, type GRUOptions,
} from './recurrent/rnn.js';
export { Bidirectional, TimeDistributed, bidirectional, timeDistributed, type BidirectionalOptions, type MergeMode } from './recurrent/wrappers.js';
export { getMask, setMask } from './recurrent/mask.js';
export { Orthogonal } from './recurrent/orthogonal.js';
export { SymbolicTensor, type GraphNode, type MultiIOLayer } from './functional/symbolic.js';
export { InputLayer, input } from './functional/input.js';
export { Add, Concatenate, add, concatenate } from './functional/merge.js';
export { Functional, model, type ModelData, type FunctionalCompileOptions } from './functional/functional.js';
export { OutputsLoss, OutputMetric, OutputLoss } from './functional/outputs.js';
export type { ModelArtifacts, ModelSaver, ModelLoader, IOScheme, SaveTarget, LoadSource } from './io/handler.js';
// Browser save/load places (registry kind `ioScheme`); the file system is added by the Node entry (node.ts).
import './io/indexeddb.js';
import './io/local-storage.js';
import './io/downloads.js';
import './io/http.js';
export { parseCsv, readCsv, type CsvOptions, type CsvData } from './dataset/csv.js';
export type { TextSource } from './io/text.js';
export { trainTestSplit, type TrainTestSplitOptions, type TrainTestSplit } from './dataset/split.js';
export { StandardScaler, MinMaxScaler, standardScaler, minMaxScaler } from './dataset/scaling.js';
export { confusionMatrix, classificationReport, type ConfusionOptions, type ClassReport, type ClassificationReport } from './dataset/confusion.js';
export { Masking, masking } from './recurrent/masking.js';
export { plotHistory, type PlotHistoryOptions } from './plot-history.js';
export { CsvLogger, csvLogger, type CsvLoggerOptions } from './csv-logger.js';
