/**
 * The building blocks behind `Phone`, for this package's tests and tools: the call
 * machine, its runner, the media lifecycle, the transports and the directory client.
 * Not part of the public API: no semver promise, not documented in README.md.
 * @packageDocumentation
 */
export * from './index.js';
export { parseServer } from './phone.js';
export { transition } from './call-machine.js';
export { createCallMachine, callMachineConfig, initialMachineState, DEFAULT_CALL_TIMING, type CallMachine } from './call-machine-config.js';
export { sameAddress } from './call-peers.js';
export type {
  PeerAddress,
  TimerId,
  CallMachineConfig,
  CallDirection,
  Peer,
  CallPhase,
  MachineState,
  MachineEvent,
  MachineNotice,
  Effect,
  Transition,
} from './call-machine-types.js';
export { CallRunner, type CallRunnerOptions, type DirectoryPort, type MediaEffectsPort, type RunnerNotice } from './call-runner.js';
export { CallAudio, type CallAudioOptions, type CallSummary, type RingFactory, type RingingPort } from './call-audio.js';
export type { Transport, DatagramListener } from './transport/transport.js';
export { bindUdpTransport, type UdpTransport, type UdpTransportOptions } from './transport/udp-transport.js';
export { createMemoryNetwork, type MemoryNetwork, type MemoryNetworkOptions, type FaultAction, type Flight } from './transport/memory-transport.js';
export { DirectoryClient, DirectoryError, type DirectoryClientOptions, type DirectoryClientEvents, type DirectoryErrorCode } from './directory/directory-client.js';
export { v2Transition } from './v2/v2-machine.js';
export { v2Config, initialV2State, DEFAULT_V2_TIMING } from './v2/v2-config.js';
export { V2Driver, type V2DriverPorts } from './v2/v2-driver.js';
export { callForm, peerVersion, type SecureMode } from './call-form.js';
export type { V2Config, V2State, V2Event, V2Effect, V2Call, V2Stage, V2Transaction, V2Transition, V2MediaParams } from './v2/v2-types.js';
export type { MediaFactoryOptions, MediaFigures, SecureFigures } from './call-audio.js';
