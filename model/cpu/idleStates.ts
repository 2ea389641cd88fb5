/**
 * CPU idle states: what an idle core can sleep in, per CPU model, and which states a node allows.
 * Each state has an exit latency (from the wake-up event to running code again) and a target
 * residency (the shortest idle period for which entering it pays off); the values are the intel_idle
 * driver's tables. `poll` is the idle loop spinning (idle=poll, or a PM QoS limit of 0): no exit
 * latency. A KVM guest with cpuidle-haltpoll first polls for up to guest_halt_poll_ns, then halts
 * (HLT, a VM exit); waking a halted vCPU costs the host's IPI, the exit and the injection.
 * Which states firmware lists (and so which are enabled) varies by BIOS: a node chooses its
 * deepest allowed state (`c6`, `c1e`, `c1` or `poll`), the way `max_cstate`, `idle=poll` or the
 * BIOS C-state setting does.
 */
import { calibrated } from '../calibration/index.ts';
import { cyclesToNs, usToNs } from '../units.ts';

export type IdleStateName = 'poll' | 'c1' | 'c1e' | 'c6' | 'halt';

export interface IdleState {
  readonly name: IdleStateName;
  readonly exitLatencyNs: number;
  readonly targetResidencyNs: number;
}

export type CpuModelName = 'skylake-sp' | 'icelake-sp' | 'sapphire-rapids' | 'kvm-guest-haltpoll';

export const CPU_MODEL_NAMES: readonly CpuModelName[] = ['skylake-sp', 'icelake-sp', 'sapphire-rapids', 'kvm-guest-haltpoll'];

/** Deepest states a node may allow, shallow to deep. */
export const IDLE_LIMIT_NAMES = ['poll', 'c1', 'c1e', 'c6'] as const;
export type IdleLimitName = (typeof IDLE_LIMIT_NAMES)[number];

export interface CpuIdleModel {
  readonly name: CpuModelName;
  /** States other than polling, shallow to deep. */
  readonly states: readonly IdleState[];
  /** KVM guest halt polling: an idle vCPU polls this long before it halts; 0 on bare metal. */
  readonly haltPollNs: number;
}

function intelState(model: string, name: 'c1' | 'c1e' | 'c6'): IdleState {
  const key = name === 'c1' ? 'C1' : name === 'c1e' ? 'C1e' : 'C6';
  return {
    name,
    exitLatencyNs: usToNs(calibrated(`cpu.idle${model}${key}ExitLatencyUs`)),
    targetResidencyNs: usToNs(calibrated(`cpu.idle${model}${key}TargetResidencyUs`)),
  };
}

function intelModel(name: CpuModelName, model: string): CpuIdleModel {
  return Object.freeze({ name, states: Object.freeze([intelState(model, 'c1'), intelState(model, 'c1e'), intelState(model, 'c6')]), haltPollNs: 0 });
}

/** The vCPU's one sleeping state: halted. Waking it is the host's IPI + exit + injection at the reference clock. */
function haltModel(): CpuIdleModel {
  const wakeNs = cyclesToNs(calibrated('cpu.haltWakeupCycles'), calibrated('cpu.referenceFreqHz'));
  const halt: IdleState = { name: 'halt', exitLatencyNs: Math.round(wakeNs), targetResidencyNs: 0 };
  return Object.freeze({ name: 'kvm-guest-haltpoll', states: Object.freeze([halt]), haltPollNs: calibrated('cpu.haltPollNs') });
}

const MODELS: Readonly<Record<CpuModelName, CpuIdleModel>> = {
  'skylake-sp': intelModel('skylake-sp', 'Skx'),
  'icelake-sp': intelModel('icelake-sp', 'Icx'),
  'sapphire-rapids': intelModel('sapphire-rapids', 'Spr'),
  'kvm-guest-haltpoll': haltModel(),
};

export function cpuIdleModel(name: CpuModelName): CpuIdleModel {
  const m = MODELS[name];
  if (m === undefined) throw new RangeError(`cpu model must be one of ${CPU_MODEL_NAMES.join(', ')}, got "${name}"`);
  return m;
}

/**
 * The states a node with `model` may enter when its deepest allowed state is `limit`: the model's
 * states up to that depth (`poll`: none, the core spins). A guest's halt counts as the deepest state.
 */
export function allowedIdleStates(model: CpuIdleModel, limit: IdleLimitName): readonly IdleState[] {
  if (!(IDLE_LIMIT_NAMES as readonly string[]).includes(limit)) {
    throw new RangeError(`idle state limit must be one of ${IDLE_LIMIT_NAMES.join(', ')}, got "${limit}"`);
  }
  if (limit === 'poll') return [];
  const depth = IDLE_LIMIT_NAMES.indexOf(limit);
  return model.states.filter((s) => s.name === 'halt' || IDLE_LIMIT_NAMES.indexOf(s.name as IdleLimitName) <= depth);
}

/**
 * The default node's processor and deepest idle state. An Ice Lake-SP server (a current
 * data-centre generation); deepest state C1E: intel_idle always enables C1E, while C6 is used only
 * if the firmware lists it (its _CST table), which performance BIOS profiles often do not. This is
 * an assumption (no survey of fleet BIOS settings was found): `--idle-state c6` and `poll` bound it,
 * and the latency-tail experiment sweeps it.
 */
export const DEFAULT_NODE_IDLE: Readonly<{ cpuModel: CpuModelName; idleState: IdleLimitName }> = Object.freeze({ cpuModel: 'icelake-sp', idleState: 'c1e' });
