import type { Response } from 'express';
import { logger } from '../logger';

// Downloads of a workbook (已入库 and 安全审计 exports): the headers and the streaming.

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** RFC 6266 / 5987: an ASCII fallback for old clients, the Chinese name in filename*. */
export function attachment(filename: string, fallback: string): string {
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Streams a workbook as a download; a failure after the headers can only break the download. */
export async function sendXlsx(
  res: Response,
  file: { filename: string; fallback: string; write: (out: Response) => Promise<void> },
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', XLSX_TYPE);
  res.setHeader('Content-Disposition', attachment(file.filename, file.fallback));
  res.setHeader('Cache-Control', 'no-store');
  try {
    await file.write(res);
  } catch (err) {
    // Headers are gone: the only honest signal left is a broken download.
    logger.error({ err, file: file.fallback }, 'export failed');
    res.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}
