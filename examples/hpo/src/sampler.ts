import { GPSampler, lastStep, type Distribution, type FrozenTrial, type ParamValue, type StudyView, type TrialState } from '@nn/hpo';

/**
 * The study as the GP should see it: a pruned trial counts as complete, valued at the last `val_loss` it
 * reported. GPSampler (like Optuna's) learns from complete trials only, so with pruning it never learns
 * that a region gets pruned and proposes the same pruned point again and again; this is Optuna's
 * CmaEsSampler rule for pruned trials. The early value overstates the final loss, which is the point.
 */
function prunedAsComplete(study: StudyView): StudyView {
  const asComplete = (t: FrozenTrial): FrozenTrial => {
    const step = t.state === 'pruned' ? lastStep(t) : null;
    return step === null ? t : { ...t, state: 'complete', values: [t.intermediateValues[step]] };
  };
  return {
    directions: study.directions,
    studyName: study.studyName,
    getTrials: (states?: TrialState[]) => {
      const trials = study.getTrials().map(asComplete);
      return states ? trials.filter((t) => states.includes(t.state)) : trials;
    },
  };
}

/** GPSampler that also learns from pruned trials (see {@link prunedAsComplete}). */
export class PruneAwareGPSampler extends GPSampler {
  override inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): Record<string, Distribution> {
    return super.inferRelativeSearchSpace(prunedAsComplete(study), trial);
  }

  override sampleRelative(study: StudyView, trial: FrozenTrial, space: Record<string, Distribution>): Record<string, ParamValue> {
    return super.sampleRelative(prunedAsComplete(study), trial, space);
  }

  override sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    return super.sampleIndependent(prunedAsComplete(study), trial, name, distribution);
  }
}
