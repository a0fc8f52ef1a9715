export { createConnection, LibvirtConnection, formatVersion, libvirtFlags, type ConnectionOptions, type CallOptions, type DeviceFlags, type DomainCapabilitiesQuery, type XmlDescOptions, type SubscribeOptions, type HotplugTarget } from './connection.ts'
export { attachPlan, detachPlan, type AttachPlanLike, type DetachPlanLike, type RefusedPlan, type PlanProblem, type AttachResult, type PlanTarget } from './plans.ts'
export { hasDeviceAlias, type DetachOptions, type DetachResult, type DetachTarget } from './detach.ts'
export { domainEventIds, lifecycleEventNames, decodeDomainEvent, type DomainEvent, type DomainEventKind, type DomainEventOf, type DomainEventSubscription, type LifecycleEvent, type DeviceEvent } from './events.ts'
export {
  LibvirtError,
  LibvirtTimeoutError,
  LibvirtConnectionError,
  LibvirtProtocolError,
  LibvirtUsageError,
  XdrError,
  adapterErrorCatalog,
  isUnplugInProgress,
  isDeviceMissing,
  type AdapterErrorCode,
  type ConnectionErrorCode,
  type UsageErrorCode,
  type XdrErrorCode,
  type RemoteErrorFields,
} from './errors.ts'
export { libvirtErrorCodes, libvirtErrorDomains, libvirtErrorLevels, errorCodeName, errorDomainName, errorLevelName, type LibvirtErrorCodeName } from './codes.ts'
export {
  FrameDecoder,
  MESSAGE_MAX,
  STRING_MAX,
  programs,
  procedures,
  procedureName,
  messageTypes,
  messageStatus,
  keepaliveProcedures,
  authTypes,
  features,
  startMessage,
  finishMessage,
  decodePacket,
  payloadReader,
  readDomain,
  writeDomain,
  readRemoteError,
  writeRemoteError,
  readOptionalString,
  writeOptionalString,
  uuidToString,
  uuidFromString,
  type DomainRef,
  type MessageHeader,
  type Packet,
} from './protocol.ts'
export { XdrReader, XdrWriter } from './xdr.ts'
export { socketTransport, nodeSocketTransport, type Transport, type TransportSink, type TransportFactory } from './transport.ts'
export { runOnHosts, connectMany, hostFailure, type FleetHost, type FleetOptions, type HostOutcome, type HostFailure, type Fleet, type FleetEvent, type FleetEventStream } from './fleet.ts'
export { createRemoteTransport, defaultTransport, type RemoteTransportOptions } from './remote.ts'
export { tlsTransport, locateTlsFiles, loadTlsCredentials, systemTlsFiles, type TlsFiles, type TlsLocateOptions, type TlsCredentials, type TlsTransportOptions } from './tls.ts'
export { sshTransport, sshCommandLine, extTransport, childTransport, type SshTransportOptions } from './ssh.ts'
export { parseLibvirtUri, defaultSocketPath, defaultTcpPort, type ConnectTarget } from './uri.ts'
