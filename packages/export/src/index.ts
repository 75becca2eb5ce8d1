export { type ReadBoardOptions, readBoardRecords } from './board.ts'
export { csvField, NOTES_CSV_COLUMNS, notesCsv, notesCsvRows, UTF8_BOM } from './csv.ts'
export { extractProjectSheet } from './extract.ts'
export { formatDate, slugify } from './labels.ts'
export { escapeMarkdown, type MarkdownOptions, toMarkdown } from './markdown.ts'
export { type PdfOptions, toPdf } from './pdf.ts'
export { mergePdfs } from './pdfMerge.ts'
export { addToPreview, type BoardPreview, boardPreview, MAX_PREVIEW_BOXES, type PreviewBox, previewSvg } from './preview.ts'
export { plainText } from './richText.ts'
export { PROJECT_SHEET_JSON_SCHEMA } from './schema.ts'
export { type ResultsRow, resultsCsv, resultsCsvColumns } from './results.ts'
export { PROJECT_SHEET_SCHEMA_VERSION } from './types.ts'
export type {
  ProjectSheet,
  SectionSource,
  SheetContext,
  SheetDataset,
  SheetField,
  SheetJury,
  SheetNote,
  SheetSection,
  SheetSlide,
  SheetTemplate,
} from './types.ts'
export { frenchSpacing, toWinAnsi, typeset } from './typography.ts'
export {
  bundleFiles,
  type EventEntries,
  type EventZipOptions,
  eventEntries,
  eventEntriesOfRows,
  eventZip,
  SHEET_FORMATS,
  type SheetFormat,
  sheetEntry,
  sheetOfEntry,
  sheetsPdf,
  teamFolders,
} from './zip.ts'
export { crc32, entryContent, writeZip, type ZipEntry, zipEntry } from './zipWriter.ts'
