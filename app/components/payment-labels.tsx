import { useTranslation } from 'react-i18next';
import type { BatchPaymentRow, BatchSummary } from '~/domain/payouts/batches.server';

type PaymentBatchStatus = BatchSummary['status'];
type PaymentStatus = BatchPaymentRow['status'];

const BATCH_TONE: Record<PaymentBatchStatus, string> = {
  open: 'badge--muted',
  exported: '',
  sent: '',
  reconciled: 'badge--success',
};

export function BatchStatusBadge({ status }: { status: PaymentBatchStatus }) {
  const { t } = useTranslation();
  return <span className={`badge ${BATCH_TONE[status]}`.trim()}>{t(`payments.batchStatuses.${status}`)}</span>;
}

const PAYMENT_TONE: Record<PaymentStatus, string> = {
  pending: 'badge--muted',
  debited: 'badge--muted',
  submitted: '',
  paid: 'badge--success',
  returned: 'badge--danger',
  failed: 'badge--danger',
};

export function PaymentStatusBadge({ status }: { status: PaymentStatus }) {
  const { t } = useTranslation();
  return <span className={`badge ${PAYMENT_TONE[status]}`.trim()}>{t(`payments.paymentStatuses.${status}`)}</span>;
}

/** The short form of a batch or payment id that people read and say; the full id is in links. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
