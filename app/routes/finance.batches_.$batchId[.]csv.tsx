import type { LoaderFunctionArgs } from '@remix-run/node';
import { batchFileResponse } from '~/utils/batch-file.server';

/** /finance/batches/<id>.csv: the exported batch as a CSV bank file (finance admins; vault reads audited). */
export function loader(args: LoaderFunctionArgs) {
  return batchFileResponse(args, 'csv');
}
