import { minorToDecimal } from '../money/money.js';

/**
 * ISO 20022 customer credit transfer initiation, pain.001.001.09: the bank
 * file for one payment batch. One message (GrpHdr) with one payment
 * information block (PmtInf, the debtor account) holding one credit transfer
 * (CdtTrfTxInf) per payment. Elements are written in the order the schema's
 * sequences demand, every text is escaped and cut to its type's maximum
 * length, and characters XML 1.0 cannot carry are dropped.
 *
 * Not yet validated against the official XSD, which this machine cannot
 * download (see docs/decisions/0014-payouts.md); test/pain001.test.ts checks
 * the structure, order, totals, escaping and lengths instead.
 */

export const PAIN001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';

/** Max35Text: message, payment-information, instruction and end-to-end ids. */
export const MAX_ID_LENGTH = 35;
/** Max140Text: names and unstructured remittance. */
export const MAX_TEXT_LENGTH = 140;
/** Max34Text: an account number that is not an IBAN (GenericAccountIdentification1/Id). */
export const MAX_ACCOUNT_LENGTH = 34;

/** What banks put in a required identification that is not known (EPC convention). */
const NOT_PROVIDED = 'NOTPROVIDED';

export interface Pain001Party {
  name: string;
  /** An IBAN, or another account number. */
  account: string;
  bic?: string | null;
  /** The bank's name, written as FinInstnId/Nm next to its BIC or in place of it. */
  bankName?: string | null;
}

export interface Pain001Payment {
  /** PmtId/InstrId and EndToEndId: the payment's idempotency key, so the bank sees each payment once. */
  idempotencyKey: string;
  amountMinor: bigint;
  creditor: Pain001Party;
  remittance: string;
}

export interface Pain001Input {
  /** GrpHdr/MsgId and PmtInf/PmtInfId: the batch id. */
  messageId: string;
  createdAt: Date;
  /** ReqdExctnDt/Dt, YYYY-MM-DD. */
  executionDate: string;
  initiatingPartyName: string;
  debtor: Pain001Party;
  currency: string;
  payments: readonly Pain001Payment[];
}

/** The end-to-end id of a payment: its idempotency key, cut to Max35Text the same way every time. */
export function endToEndIdFor(idempotencyKey: string): string {
  return cleanText(idempotencyKey, MAX_ID_LENGTH);
}

/** An IBAN by shape and checksum (ISO 13616, mod 97); anything else is written as Othr/Id. */
export function looksLikeIban(account: string): boolean {
  const value = account.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(value)) return false;
  const rearranged = `${value.slice(4)}${value.slice(0, 4)}`;
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** BICFIDec2014Identifier: 4 letters or digits, a 2-letter country, 2 letters or digits, an optional 3-character branch. */
export function isBicfi(bic: string | null | undefined): bic is string {
  return typeof bic === 'string' && /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic);
}

export class Pain001InputError extends Error {}

export function buildPain001(input: Pain001Input): string {
  if (input.payments.length === 0) throw new Pain001InputError('a pain.001 message needs at least one payment');
  if (!/^[A-Z]{3}$/.test(input.currency)) throw new Pain001InputError(`not an ISO 4217 currency: ${input.currency}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.executionDate)) throw new Pain001InputError(`not a date: ${input.executionDate}`);
  if (input.payments.some((payment) => payment.amountMinor <= 0n)) throw new Pain001InputError('every amount must be positive');

  const count = String(input.payments.length);
  const controlSum = minorToDecimal(
    input.payments.reduce((sum, payment) => sum + payment.amountMinor, 0n),
    input.currency,
  );
  const messageId = cleanText(input.messageId, MAX_ID_LENGTH);
  const xml = new XmlWriter();

  xml.open('Document', { xmlns: PAIN001_NAMESPACE });
  xml.open('CstmrCdtTrfInitn');

  xml.open('GrpHdr');
  xml.leaf('MsgId', messageId);
  xml.leaf('CreDtTm', isoDateTime(input.createdAt));
  xml.leaf('NbOfTxs', count);
  xml.leaf('CtrlSum', controlSum);
  xml.open('InitgPty');
  xml.leaf('Nm', cleanText(input.initiatingPartyName, MAX_TEXT_LENGTH));
  xml.close();
  xml.close();

  xml.open('PmtInf');
  xml.leaf('PmtInfId', messageId);
  xml.leaf('PmtMtd', 'TRF');
  xml.leaf('NbOfTxs', count);
  xml.leaf('CtrlSum', controlSum);
  xml.open('ReqdExctnDt');
  xml.leaf('Dt', input.executionDate);
  xml.close();
  xml.open('Dbtr');
  xml.leaf('Nm', cleanText(input.debtor.name, MAX_TEXT_LENGTH));
  xml.close();
  writeAccount(xml, 'DbtrAcct', input.debtor.account);
  writeAgent(xml, 'DbtrAgt', input.debtor);

  for (const payment of input.payments) {
    const id = endToEndIdFor(payment.idempotencyKey);
    xml.open('CdtTrfTxInf');
    xml.open('PmtId');
    xml.leaf('InstrId', id);
    xml.leaf('EndToEndId', id);
    xml.close();
    xml.open('Amt');
    xml.leaf('InstdAmt', minorToDecimal(payment.amountMinor, input.currency), { Ccy: input.currency });
    xml.close();
    writeAgent(xml, 'CdtrAgt', payment.creditor);
    xml.open('Cdtr');
    xml.leaf('Nm', cleanText(payment.creditor.name, MAX_TEXT_LENGTH));
    xml.close();
    writeAccount(xml, 'CdtrAcct', payment.creditor.account);
    xml.open('RmtInf');
    xml.leaf('Ustrd', cleanText(payment.remittance, MAX_TEXT_LENGTH));
    xml.close();
    xml.close();
  }

  xml.close();
  xml.close();
  xml.close();
  return xml.toString();
}

/** CashAccount38/Id: an IBAN when the account is one, else GenericAccountIdentification1/Id. */
function writeAccount(xml: XmlWriter, element: string, account: string) {
  const compact = account.replace(/\s/g, '').toUpperCase();
  xml.open(element);
  xml.open('Id');
  if (looksLikeIban(compact)) {
    xml.leaf('IBAN', compact);
  } else {
    xml.open('Othr');
    xml.leaf('Id', cleanText(compact, MAX_ACCOUNT_LENGTH));
    xml.close();
  }
  xml.close();
  xml.close();
}

/** BranchAndFinancialInstitutionIdentification6/FinInstnId, in its sequence: BICFI, then Nm, then Othr. */
function writeAgent(xml: XmlWriter, element: string, party: Pain001Party) {
  const bic = party.bic?.trim().toUpperCase();
  xml.open(element);
  xml.open('FinInstnId');
  if (isBicfi(bic)) xml.leaf('BICFI', bic);
  if (party.bankName?.trim()) xml.leaf('Nm', cleanText(party.bankName, MAX_TEXT_LENGTH));
  if (!isBicfi(bic)) {
    xml.open('Othr');
    xml.leaf('Id', NOT_PROVIDED);
    xml.close();
  }
  xml.close();
  xml.close();
}

/** Indented elements, each closed in the order opened; text and attribute values escaped. */
class XmlWriter {
  private readonly lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  private readonly openElements: string[] = [];

  open(name: string, attributes: Record<string, string> = {}) {
    this.lines.push(`${this.indent()}<${name}${attributesOf(attributes)}>`);
    this.openElements.push(name);
  }

  close() {
    const name = this.openElements.pop();
    if (!name) throw new Error('no element left to close');
    this.lines.push(`${this.indent()}</${name}>`);
  }

  leaf(name: string, text: string, attributes: Record<string, string> = {}) {
    this.lines.push(`${this.indent()}<${name}${attributesOf(attributes)}>${escapeXml(text)}</${name}>`);
  }

  toString(): string {
    if (this.openElements.length > 0) throw new Error(`unclosed elements: ${this.openElements.join(', ')}`);
    return `${this.lines.join('\n')}\n`;
  }

  private indent() {
    return '  '.repeat(this.openElements.length);
  }
}

const attributesOf = (attributes: Record<string, string>) =>
  Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join('');

/** ISODateTime to the second, in UTC. */
function isoDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

// Characters XML 1.0 cannot carry at all: C0 controls other than tab, line
// feed and carriage return, lone surrogates, U+FFFE and U+FFFF.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as a MaxNText element may hold it: XML-safe characters only, line
 * breaks and runs of spaces as one space, at most `max` characters (counted
 * as the schema counts them, by code point, so a character outside the BMP
 * is never cut in half); never empty, since every text type has minLength 1.
 */
export function cleanText(value: string, max: number): string {
  const cleaned = value.replace(NOT_XML, '').replace(/\s+/g, ' ').trim();
  const cut = Array.from(cleaned).slice(0, max).join('').trim();
  return cut || NOT_PROVIDED;
}

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[char]};`);
}
