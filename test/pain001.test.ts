// The pain.001.001.09 bank file, checked without its XSD (not obtainable on
// this machine; see docs/decisions/0014-payouts.md): well-formed, every
// element in the order its type's sequence demands, every simple value
// within its type's pattern and length, totals right, text escaped.
import { describe, expect, it } from 'vitest';
import {
  buildPain001,
  cleanText,
  endToEndIdFor,
  isBicfi,
  looksLikeIban,
  PAIN001_NAMESPACE,
  type Pain001Input,
  type Pain001Payment,
} from '../app/domain/payouts/pain001.js';
import { at, childrenNamed, parseXml, walk, type XmlElement, XmlError } from './support/xml.js';

// Content models of the types the file uses, transcribed from the ISO 20022
// message definition of pain.001.001.09: each type's elements in sequence
// order, which of them are required, and the types that are a choice of one.
interface Model {
  sequence: string[];
  required: string[];
  choice?: boolean;
}
const PARTY: Model = { sequence: ['Nm', 'PstlAdr', 'Id', 'CtryOfRes', 'CtctDtls'], required: [] };
const CASH_ACCOUNT: Model = { sequence: ['Id', 'Tp', 'Ccy', 'Nm', 'Prxy'], required: ['Id'] };
const AGENT: Model = { sequence: ['FinInstnId', 'BrnchId'], required: ['FinInstnId'] };
const GENERIC_ID: Model = { sequence: ['Id', 'SchmeNm', 'Issr'], required: ['Id'] };
const MODELS: Record<string, Model> = {
  Document: { sequence: ['CstmrCdtTrfInitn'], required: ['CstmrCdtTrfInitn'] },
  CstmrCdtTrfInitn: { sequence: ['GrpHdr', 'PmtInf', 'SplmtryData'], required: ['GrpHdr', 'PmtInf'] },
  GrpHdr: { sequence: ['MsgId', 'CreDtTm', 'Authstn', 'NbOfTxs', 'CtrlSum', 'InitgPty', 'FwdgAgt'], required: ['MsgId', 'CreDtTm', 'NbOfTxs', 'InitgPty'] },
  InitgPty: PARTY,
  Dbtr: PARTY,
  Cdtr: PARTY,
  PmtInf: {
    sequence: [
      'PmtInfId', 'PmtMtd', 'BtchBookg', 'NbOfTxs', 'CtrlSum', 'PmtTpInf', 'ReqdExctnDt', 'PoolgAdjstmntDt', 'Dbtr', 'DbtrAcct', 'DbtrAgt',
      'DbtrAgtAcct', 'InstrForDbtrAgt', 'UltmtDbtr', 'ChrgBr', 'ChrgsAcct', 'ChrgsAcctAgt', 'CdtTrfTxInf',
    ],
    required: ['PmtInfId', 'PmtMtd', 'ReqdExctnDt', 'Dbtr', 'DbtrAcct', 'DbtrAgt', 'CdtTrfTxInf'],
  },
  ReqdExctnDt: { sequence: ['Dt', 'DtTm'], required: [], choice: true },
  DbtrAcct: CASH_ACCOUNT,
  CdtrAcct: CASH_ACCOUNT,
  'DbtrAcct/Id': { sequence: ['IBAN', 'Othr'], required: [], choice: true },
  'CdtrAcct/Id': { sequence: ['IBAN', 'Othr'], required: [], choice: true },
  'Id/Othr': GENERIC_ID,
  DbtrAgt: AGENT,
  CdtrAgt: AGENT,
  FinInstnId: { sequence: ['BICFI', 'ClrSysMmbId', 'LEI', 'Nm', 'PstlAdr', 'Othr'], required: [] },
  'FinInstnId/Othr': GENERIC_ID,
  CdtTrfTxInf: {
    sequence: [
      'PmtId', 'PmtTpInf', 'Amt', 'XchgRateInf', 'ChrgBr', 'ChqInstr', 'UltmtDbtr', 'IntrmyAgt1', 'IntrmyAgt1Acct', 'IntrmyAgt2',
      'IntrmyAgt2Acct', 'IntrmyAgt3', 'IntrmyAgt3Acct', 'CdtrAgt', 'CdtrAgtAcct', 'Cdtr', 'CdtrAcct', 'UltmtCdtr', 'InstrForCdtrAgt',
      'InstrForDbtrAgt', 'Purp', 'RgltryRptg', 'Tax', 'RltdRmtInf', 'RmtInf', 'SplmtryData',
    ],
    required: ['PmtId', 'Amt'],
  },
  PmtId: { sequence: ['InstrId', 'EndToEndId', 'UETR'], required: ['EndToEndId'] },
  Amt: { sequence: ['InstdAmt', 'EqvtAmt'], required: [], choice: true },
  RmtInf: { sequence: ['Ustrd', 'Strd'], required: [] },
};
/** Elements that may occur more than once where they are. */
const REPEATABLE = new Set(['PmtInf', 'CdtTrfTxInf', 'Ustrd', 'Authstn', 'SplmtryData', 'InstrForCdtrAgt', 'RgltryRptg', 'RltdRmtInf', 'Strd']);

const codePoints = (text: string) => Array.from(text).length;
const maxText = (max: number) => (text: string) => codePoints(text) >= 1 && codePoints(text) <= max;
/** xs:decimal with at most this many digits in all and after the point, not negative. */
const decimal = (totalDigits: number, fractionDigits: number) => (text: string) => {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  return Boolean(match) && match![1]!.replace(/^0+(?=\d)/, '').length + (match![2]?.length ?? 0) <= totalDigits && (match![2]?.length ?? 0) <= fractionDigits;
};
// Simple types by element (the parent decides for "Id"), as the schema defines them.
const SIMPLE: Record<string, (text: string) => boolean> = {
  MsgId: maxText(35),
  PmtInfId: maxText(35),
  InstrId: maxText(35),
  EndToEndId: maxText(35),
  CreDtTm: (text) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(text),
  NbOfTxs: (text) => /^[0-9]{1,15}$/.test(text),
  CtrlSum: decimal(18, 17),
  Nm: maxText(140),
  PmtMtd: (text) => ['TRF', 'CHK', 'TRA'].includes(text),
  Dt: (text) => /^\d{4}-\d{2}-\d{2}$/.test(text),
  IBAN: (text) => /^[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}$/.test(text),
  BICFI: (text) => /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(text),
  InstdAmt: decimal(18, 5),
  Ustrd: maxText(140),
  'Othr/Id': maxText(35),
  'Id/Othr/Id': maxText(34),
};

/** Every element checked against its content model or simple type; returns the problems found. */
function schemaProblems(root: XmlElement): string[] {
  const problems: string[] = [];
  for (const { path, element } of walk(root)) {
    const steps = path.split('/');
    const parent = steps.at(-2) ?? '';
    const grandparent = steps.at(-3) ?? '';
    const model = MODELS[`${parent}/${element.name}`] ?? MODELS[element.name];
    if (element.children.length > 0) {
      if (!model) {
        problems.push(`${path}: unexpected complex element`);
        continue;
      }
      if (element.text.trim()) problems.push(`${path}: text beside elements`);
      const positions = element.children.map((child) => model.sequence.indexOf(child.name));
      if (positions.includes(-1)) problems.push(`${path}: unexpected ${element.children.map((child) => child.name).join(', ')}`);
      if (positions.some((position, index) => index > 0 && position < positions[index - 1]!)) problems.push(`${path}: children out of order`);
      for (const name of model.required) if (!childrenNamed(element, name).length) problems.push(`${path}: ${name} missing`);
      for (const name of new Set(element.children.map((child) => child.name))) {
        if (childrenNamed(element, name).length > 1 && !REPEATABLE.has(name)) problems.push(`${path}: ${name} repeated`);
      }
      if (model.choice && element.children.length !== 1) problems.push(`${path}: a choice holds one element`);
      continue;
    }
    const check = SIMPLE[`${grandparent}/${parent}/${element.name}`] ?? SIMPLE[`${parent}/${element.name}`] ?? SIMPLE[element.name];
    if (!check) problems.push(`${path}: unexpected simple element`);
    else if (!check(element.text)) problems.push(`${path}: "${element.text}" is not a valid value`);
  }
  return problems;
}

const payment = (overrides: Partial<Omit<Pain001Payment, 'creditor'>> & { creditor?: Partial<Pain001Payment['creditor']> } = {}): Pain001Payment => ({
  idempotencyKey: `candor-pay-${'a'.repeat(24)}`,
  amountMinor: 800_000n,
  remittance: 'Reward aaaaaaaaaa',
  ...overrides,
  creditor: { name: 'Wei Zhang', account: '6222020000123456789', bankName: 'Bank of Example', bic: null, ...overrides.creditor },
});

const input = (overrides: Partial<Pain001Input> = {}): Pain001Input => ({
  messageId: 'k3v7qz2mfw5h4r6xjt8bpn9c',
  createdAt: new Date('2026-03-12T08:15:30.123Z'),
  executionDate: '2026-03-12',
  initiatingPartyName: 'Candor',
  debtor: { name: 'Example Vendor Ltd', account: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX' },
  currency: 'CNY',
  payments: [
    payment({ idempotencyKey: `candor-pay-${'b'.repeat(24)}`, amountMinor: 800_000n, creditor: { account: 'DE89370400440532013000', bic: 'cobadeff' } }),
    payment({ idempotencyKey: `candor-pay-${'c'.repeat(24)}`, amountMinor: 123_450n, creditor: { name: '张伟', bankName: '中国示例银行' } }),
    payment({ idempotencyKey: `candor-pay-${'d'.repeat(24)}`, amountMinor: 5n }),
  ],
  ...overrides,
});

const parse = (xml: string) => parseXml(xml).root;
const transfers = (root: XmlElement) => childrenNamed(at(root, 'CstmrCdtTrfInitn/PmtInf'), 'CdtTrfTxInf');

describe('pain.001.001.09 structure', () => {
  it('is a well-formed document in the pain.001.001.09 namespace, UTF-8 declared', () => {
    const xml = buildPain001(input());
    const { declaration, root } = parseXml(xml);
    expect(declaration).toBe('<?xml version="1.0" encoding="UTF-8"?>');
    expect(root.name).toBe('Document');
    expect(root.attributes).toEqual({ xmlns: PAIN001_NAMESPACE });
    expect(PAIN001_NAMESPACE).toBe('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
  });

  it('writes every element in its type’s sequence order, with every required element and valid values', () => {
    const root = parse(buildPain001(input()));
    expect(schemaProblems(root)).toEqual([]);
    expect(at(root, 'CstmrCdtTrfInitn/GrpHdr').children.map((child) => child.name)).toEqual(['MsgId', 'CreDtTm', 'NbOfTxs', 'CtrlSum', 'InitgPty']);
    expect(at(root, 'CstmrCdtTrfInitn/PmtInf').children.map((child) => child.name)).toEqual([
      'PmtInfId', 'PmtMtd', 'NbOfTxs', 'CtrlSum', 'ReqdExctnDt', 'Dbtr', 'DbtrAcct', 'DbtrAgt', 'CdtTrfTxInf', 'CdtTrfTxInf', 'CdtTrfTxInf',
    ]);
    expect(transfers(root)[0]!.children.map((child) => child.name)).toEqual(['PmtId', 'Amt', 'CdtrAgt', 'Cdtr', 'CdtrAcct', 'RmtInf']);
  });

  it('the checker itself catches elements out of order, missing or misvalued', () => {
    const root = parse(buildPain001(input()));
    const header = at(root, 'CstmrCdtTrfInitn/GrpHdr');
    header.children.reverse();
    at(root, 'CstmrCdtTrfInitn/PmtInf/PmtMtd').text = 'WIRE';
    expect(schemaProblems(root)).toEqual(
      expect.arrayContaining([
        'Document/CstmrCdtTrfInitn/GrpHdr: children out of order',
        'Document/CstmrCdtTrfInitn/PmtInf/PmtMtd: "WIRE" is not a valid value',
      ]),
    );
  });

  it('names the batch as message and payment information, the export time and the requested execution date', () => {
    const root = parse(buildPain001(input()));
    expect(at(root, 'CstmrCdtTrfInitn/GrpHdr/MsgId').text).toBe('k3v7qz2mfw5h4r6xjt8bpn9c');
    expect(at(root, 'CstmrCdtTrfInitn/PmtInf/PmtInfId').text).toBe('k3v7qz2mfw5h4r6xjt8bpn9c');
    expect(at(root, 'CstmrCdtTrfInitn/GrpHdr/CreDtTm').text).toBe('2026-03-12T08:15:30Z');
    expect(at(root, 'CstmrCdtTrfInitn/PmtInf/ReqdExctnDt/Dt').text).toBe('2026-03-12');
    expect(at(root, 'CstmrCdtTrfInitn/PmtInf/PmtMtd').text).toBe('TRF');
    expect(at(root, 'CstmrCdtTrfInitn/GrpHdr/InitgPty/Nm').text).toBe('Candor');
    expect(at(root, 'CstmrCdtTrfInitn/PmtInf/Dbtr/Nm').text).toBe('Example Vendor Ltd');
  });
});

describe('pain.001 totals and amounts', () => {
  it('counts the transactions and sums them exactly, in the group header and the payment information', () => {
    const root = parse(buildPain001(input()));
    for (const path of ['CstmrCdtTrfInitn/GrpHdr', 'CstmrCdtTrfInitn/PmtInf']) {
      expect(at(root, `${path}/NbOfTxs`).text).toBe('3');
      expect(at(root, `${path}/CtrlSum`).text).toBe('9234.55');
    }
    expect(transfers(root).map((transfer) => at(transfer, 'Amt/InstdAmt').text)).toEqual(['8000.00', '1234.50', '0.05']);
    expect(transfers(root).map((transfer) => at(transfer, 'Amt/InstdAmt').attributes)).toEqual([{ Ccy: 'CNY' }, { Ccy: 'CNY' }, { Ccy: 'CNY' }]);
  });

  it('writes each currency with its own decimals, and large sums without rounding', () => {
    const yen = parse(buildPain001(input({ currency: 'JPY', payments: [payment({ amountMinor: 1_500_000n })] })));
    expect(at(transfers(yen)[0]!, 'Amt/InstdAmt').text).toBe('1500000');
    const dinar = parse(buildPain001(input({ currency: 'BHD', payments: [payment({ amountMinor: 1_234_567n })] })));
    expect(at(transfers(dinar)[0]!, 'Amt/InstdAmt').text).toBe('1234.567');
    // Beyond a double's exact range: bigint all the way.
    const big = parse(
      buildPain001(input({ payments: [payment({ amountMinor: 999_999_999_999_999n }), payment({ amountMinor: 999_999_999_999_999n })] })),
    );
    expect(at(big, 'CstmrCdtTrfInitn/GrpHdr/CtrlSum').text).toBe('19999999999999.98');
    expect(schemaProblems(big)).toEqual([]);
  });

  it('refuses a message without payments, or with an amount that is not positive', () => {
    expect(() => buildPain001(input({ payments: [] }))).toThrow(/at least one payment/);
    expect(() => buildPain001(input({ payments: [payment({ amountMinor: 0n })] }))).toThrow(/positive/);
    expect(() => buildPain001(input({ currency: 'yuan' }))).toThrow(/currency/);
  });
});

describe('pain.001 parties and accounts', () => {
  it('writes an IBAN as IBAN and any other account number as Othr/Id', () => {
    const root = parse(buildPain001(input()));
    const [iban, domestic] = transfers(root);
    expect(at(iban!, 'CdtrAcct/Id/IBAN').text).toBe('DE89370400440532013000');
    expect(at(domestic!, 'CdtrAcct/Id/Othr/Id').text).toBe('6222020000123456789');
    expect(at(root, 'CstmrCdtTrfInitn/PmtInf/DbtrAcct/Id/IBAN').text).toBe('DE89370400440532013000');
    expect(looksLikeIban('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(looksLikeIban('GB82WEST12345698765432')).toBe(true);
    // IBAN-shaped but the check digits are wrong: written as a plain account number.
    expect(looksLikeIban('DE88370400440532013000')).toBe(false);
    expect(looksLikeIban('6222020000123456789')).toBe(false);
  });

  it('names the bank by BIC when there is a valid one, else by name with Othr/Id NOTPROVIDED', () => {
    const root = parse(buildPain001(input()));
    const [withBic, withoutBic] = transfers(root);
    expect(at(withBic!, 'CdtrAgt/FinInstnId').children.map((child) => child.name)).toEqual(['BICFI', 'Nm']);
    expect(at(withBic!, 'CdtrAgt/FinInstnId/BICFI').text).toBe('COBADEFF');
    expect(at(withoutBic!, 'CdtrAgt/FinInstnId').children.map((child) => child.name)).toEqual(['Nm', 'Othr']);
    expect(at(withoutBic!, 'CdtrAgt/FinInstnId/Nm').text).toBe('中国示例银行');
    expect(at(withoutBic!, 'CdtrAgt/FinInstnId/Othr/Id').text).toBe('NOTPROVIDED');
    expect(at(root, 'CstmrCdtTrfInitn/PmtInf/DbtrAgt/FinInstnId/BICFI').text).toBe('COBADEFFXXX');
    // A BIC whose country part is not letters does not pass BICFIDec2014Identifier.
    expect(isBicfi('12341234')).toBe(false);
    expect(isBicfi('BKCHCNBJ')).toBe(true);
    const oddBic = parse(buildPain001(input({ payments: [payment({ creditor: { bic: '12341234' } })] })));
    expect(at(transfers(oddBic)[0]!, 'CdtrAgt/FinInstnId/Othr/Id').text).toBe('NOTPROVIDED');
    expect(schemaProblems(oddBic)).toEqual([]);
  });

  it('identifies each transfer by the payment’s idempotency key, cut to 35 characters the same way every time', () => {
    const root = parse(buildPain001(input()));
    for (const [index, transfer] of transfers(root).entries()) {
      const key = input().payments[index]!.idempotencyKey;
      expect(key).toHaveLength(35);
      expect(at(transfer, 'PmtId/EndToEndId').text).toBe(key);
      expect(at(transfer, 'PmtId/InstrId').text).toBe(key);
    }
    const long = `candor-pay-${'x'.repeat(40)}`;
    expect(endToEndIdFor(long)).toBe(long.slice(0, 35));
    expect(endToEndIdFor(long)).toBe(endToEndIdFor(long));
    const cut = parse(buildPain001(input({ payments: [payment({ idempotencyKey: long })] })));
    expect(at(transfers(cut)[0]!, 'PmtId/EndToEndId').text).toBe(long.slice(0, 35));
  });
});

describe('pain.001 text', () => {
  it('escapes markup characters so names and remittance read back exactly', () => {
    const name = `O'Brien & Sons <"Ltd">`;
    const xml = buildPain001(input({ payments: [payment({ creditor: { name, bankName: 'A&B <Bank>' }, remittance: 'Reward <x> & "y"' })] }));
    const root = parse(xml);
    const [transfer] = transfers(root);
    expect(at(transfer!, 'Cdtr/Nm').text).toBe(name);
    expect(at(transfer!, 'CdtrAgt/FinInstnId/Nm').text).toBe('A&B <Bank>');
    expect(at(transfer!, 'RmtInf/Ustrd').text).toBe('Reward <x> & "y"');
    expect(xml).toContain('O&apos;Brien &amp; Sons &lt;&quot;Ltd&quot;&gt;');
    expect(xml).not.toContain('<Bank>');
  });

  it('drops characters XML cannot carry and folds line breaks, so the file stays well-formed', () => {
    const xml = buildPain001(input({ payments: [payment({ creditor: { name: 'Li\u0000 Na\u0007\r\nSecond\tline\uFFFE' } })] }));
    const root = parse(xml);
    expect(at(transfers(root)[0]!, 'Cdtr/Nm').text).toBe('Li Na Second line');
    expect(() => parseXml('<a>\u0001</a>')).toThrow(XmlError);
  });

  it('cuts names to 140 characters and account numbers to 34, counting characters, never halving one', () => {
    const longName = 'N'.repeat(139) + '😀😀';
    const root = parse(buildPain001(input({ payments: [payment({ creditor: { name: longName, account: 'X'.repeat(40) } })] })));
    const name = at(transfers(root)[0]!, 'Cdtr/Nm').text;
    expect(Array.from(name)).toHaveLength(140);
    expect(name.endsWith('😀')).toBe(true);
    expect(at(transfers(root)[0]!, 'CdtrAcct/Id/Othr/Id').text).toBe('X'.repeat(34));
    expect(schemaProblems(root)).toEqual([]);
    expect(cleanText('   ', 140)).toBe('NOTPROVIDED');
    expect(cleanText('a'.repeat(200), 35)).toHaveLength(35);
  });

  it('the test reader refuses what is not well-formed', () => {
    for (const bad of ['<a><b></a></b>', '<a>&</a>', '<a>x &foo; y</a>', '<a x="1" x="2"/>', '<a/><b/>', '<a>', 'text<a/>', '<a x="<"/>']) {
      expect(() => parseXml(bad), bad).toThrow(XmlError);
    }
    expect(parseXml('<a x="&amp;">&#20013;&#x6587;</a>').root).toMatchObject({ attributes: { x: '&' }, text: '中文' });
  });
});
