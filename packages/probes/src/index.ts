export type { ProbeContext, ProbeKind, ProbeRunOutput } from './types.js';
export { probeKinds, probeKindSchemas, probeKind, type ProbeKindName } from './registry.js';
export { runProbe, type RunProbeContext } from './run-probe.js';
export { httpProbe } from './kinds/http.js';
export {
  httpSpecSchema,
  httpRequestSchema,
  httpStepSchema,
  type HttpSpec,
  type HttpProbeSpec,
  type HttpStep,
} from './kinds/http/spec.js';
export { httpExpectSchema, type HttpExpect } from './kinds/http/expect.js';
export { describeNotices, NoticeLog, responseNotices } from './kinds/http/notices.js';
export { tcpProbe, tcpSpecSchema, tcpExpectSchema, type TcpSpec, type TcpExpect } from './kinds/tcp.js';
export { dnsProbe, dnsSpecSchema, dnsExpectSchema, type DnsSpec, type DnsExpect } from './kinds/dns.js';
export {
  heartbeatProbe,
  heartbeatSpecSchema,
  heartbeatExpectSchema,
  type HeartbeatSpec,
  type HeartbeatExpect,
} from './kinds/heartbeat.js';
