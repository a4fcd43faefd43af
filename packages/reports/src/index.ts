export type * from './types.js';
export { buildReport, ReportBuilder, type ReportMeta } from './build.js';
export { figuresFromRollups, MAX_ERROR_RATE, MIN_SUCCESS_RATE, OPTIMAL_LATENCY_MS } from './figures.js';
export { renderHtml, type RenderedHtml, type RenderHtmlOptions } from './html.js';
export {
  summarize,
  groupIncidents,
  incidentText,
  EMAIL_LIMITS,
  FULL_LIMITS,
  type ReportSummary,
  type SummaryLimits,
  type IncidentGroup,
} from './summary.js';
export { renderText } from './text.js';
export { renderCsv, CSV_COLUMNS } from './csv.js';
export { reportSubject, reportFileStem, reportWebUrl } from './subject.js';
export { periodLabel } from './calendar.js';
export { slaCredit, slaWindows } from './sla.js';
export { trendPeriods } from './trend.js';
export { renderPdf, renderPdfBuffer, pdfSections, paginate, type PdfBlock, type PdfSection } from './pdf.js';
