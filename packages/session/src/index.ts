export { Phone, parseServer, type PhoneConnectOptions } from './phone.js';
export { PhoneError, CallFailedError, type PhoneErrorCode } from './errors.js';
export type { CallState, EndReason, PhoneOptions, CallStats, PhoneEvents, PhoneApi } from './phone-types.js';
export {
  transition,
  createCallMachine,
  callMachineConfig,
  initialMachineState,
  sameAddress,
  DEFAULT_CALL_TIMING,
  type CallMachine,
} from './call-machine.js';
export type {
  PeerAddress,
  TimerId,
  CallMachineConfig,
  Peer,
  CallPhase,
  MachineState,
  MachineEvent,
  MachineNotice,
  Effect,
  Transition,
} from './call-machine-types.js';
export { CallRunner, type CallRunnerOptions, type DirectoryPort, type MediaEffectsPort, type RunnerNotice } from './call-runner.js';
export { CallAudio, type CallAudioOptions, type CallMediaPort, type MediaFactory, type CallSummary } from './call-audio.js';
export type { Transport, DatagramListener } from './transport/transport.js';
export { bindUdpTransport, type UdpTransport, type UdpTransportOptions } from './transport/udp-transport.js';
export { createMemoryNetwork, type MemoryNetwork, type MemoryNetworkOptions, type FaultAction, type Flight } from './transport/memory-transport.js';
export {
  DirectoryClient,
  DirectoryError,
  type DirectoryClientOptions,
  type DirectoryClientEvents,
  type DirectoryErrorCode,
} from './directory/directory-client.js';
