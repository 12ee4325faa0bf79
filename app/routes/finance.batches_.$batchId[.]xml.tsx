import type { LoaderFunctionArgs } from '@remix-run/node';
import { batchFileResponse } from '~/utils/batch-file.server';

/** /finance/batches/<id>.xml: the exported batch as ISO 20022 pain.001.001.09 (finance admins; vault reads audited). */
export function loader(args: LoaderFunctionArgs) {
  return batchFileResponse(args, 'pain001');
}
