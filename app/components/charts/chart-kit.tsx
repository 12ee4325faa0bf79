import { type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '~/components/data-table';

// Server-rendered SVG charts (no charting library: docs/decisions, "Charts").
// Each series differs by colour AND by a second cue — a marker shape and
// dash for lines, a fill pattern for bars — so no reading depends on colour.

export interface SeriesStyle {
  color: string;
  marker: 'circle' | 'square' | 'triangle' | 'diamond' | 'cross' | 'plus';
  dash: string | undefined;
  pattern: 'solid' | 'hatch' | 'dots' | 'cross-hatch' | 'vertical' | 'horizontal';
}

// Dark enough for text-level contrast on white (≥ 4.5:1), apart in hue for
// the common colour-vision deficiencies (after Okabe–Ito).
export const SERIES_STYLES: readonly SeriesStyle[] = [
  { color: '#1f5f8b', marker: 'circle', dash: undefined, pattern: 'solid' },
  { color: '#a34700', marker: 'square', dash: '6 3', pattern: 'hatch' },
  { color: '#0f6e4f', marker: 'triangle', dash: '2 3', pattern: 'dots' },
  { color: '#6d3fc0', marker: 'diamond', dash: '10 3 2 3', pattern: 'cross-hatch' },
  { color: '#b0123b', marker: 'cross', dash: '1 4', pattern: 'vertical' },
  { color: '#4b5563', marker: 'plus', dash: '12 4', pattern: 'horizontal' },
];

export const styleOf = (index: number): SeriesStyle => SERIES_STYLES[index % SERIES_STYLES.length]!;

/** An id prefix unique on the page and safe inside url(#…). */
export function useChartId(): string {
  return `chart${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
}

/** The fill of a series: its colour, or its pattern in its colour. */
export function fillOf(chartId: string, index: number): string {
  return styleOf(index).pattern === 'solid' ? styleOf(index).color : `url(#${chartId}-pattern-${index})`;
}

/** One <pattern> per series, for bar fills. */
export function PatternDefs({ chartId, count }: { chartId: string; count: number }) {
  return (
    <defs>
      {Array.from({ length: count }, (_, index) => {
        const { color, pattern } = styleOf(index);
        if (pattern === 'solid') return null;
        return (
          <pattern key={index} id={`${chartId}-pattern-${index}`} width="8" height="8" patternUnits="userSpaceOnUse">
            <rect width="8" height="8" fill="#ffffff" />
            {pattern === 'hatch' ? <path d="M-2 2 L2 -2 M0 8 L8 0 M6 10 L10 6" stroke={color} strokeWidth="2.2" /> : null}
            {pattern === 'dots' ? <circle cx="4" cy="4" r="2.2" fill={color} /> : null}
            {pattern === 'cross-hatch' ? <path d="M0 0 L8 8 M8 0 L0 8" stroke={color} strokeWidth="1.6" /> : null}
            {pattern === 'vertical' ? <path d="M4 0 V8" stroke={color} strokeWidth="3" /> : null}
            {pattern === 'horizontal' ? <path d="M0 4 H8" stroke={color} strokeWidth="3" /> : null}
          </pattern>
        );
      })}
    </defs>
  );
}

/** A series' marker shape centred on (x, y). */
export function Marker({ index, x, y, size = 5 }: { index: number; x: number; y: number; size?: number }) {
  const { color, marker } = styleOf(index);
  const s = size;
  switch (marker) {
    case 'circle':
      return <circle cx={x} cy={y} r={s} fill={color} />;
    case 'square':
      return <rect x={x - s} y={y - s} width={s * 2} height={s * 2} fill={color} />;
    case 'triangle':
      return <path d={`M${x} ${y - s * 1.2} L${x + s * 1.1} ${y + s * 0.9} L${x - s * 1.1} ${y + s * 0.9} Z`} fill={color} />;
    case 'diamond':
      return <path d={`M${x} ${y - s * 1.3} L${x + s * 1.1} ${y} L${x} ${y + s * 1.3} L${x - s * 1.1} ${y} Z`} fill={color} />;
    case 'cross':
      return <path d={`M${x - s} ${y - s} L${x + s} ${y + s} M${x + s} ${y - s} L${x - s} ${y + s}`} stroke={color} strokeWidth="2.5" />;
    case 'plus':
      return <path d={`M${x - s * 1.2} ${y} H${x + s * 1.2} M${x} ${y - s * 1.2} V${y + s * 1.2}`} stroke={color} strokeWidth="2.5" />;
  }
}

/** Round axis ticks from 0 to at least `max` (1, 2, 2.5 or 5 × 10ⁿ apart). */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough)!;
  const ticks: number[] = [];
  for (let tick = 0; tick < max + step; tick += step) ticks.push(Math.round(tick * 1000) / 1000);
  return ticks;
}

/** Numbers as the reader's locale writes them. */
export function useNumberFormat(): (value: number) => string {
  const { i18n } = useTranslation();
  const format = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
  return (value) => format.format(value);
}

/**
 * A chart with its heading, an SVG that screen readers announce by its
 * <title> and <desc>, and the same figures as a table under "Show as table".
 * With no data, the empty message instead of both.
 */
export function ChartFigure({
  chartId,
  title,
  description,
  note,
  empty,
  legend,
  viewBox,
  children,
  table,
}: {
  chartId: string;
  title: string;
  /** What the chart shows and its main figures, in words: the SVG's <desc>. */
  description: string;
  /** A line under the heading, for every reader. */
  note?: ReactNode;
  /** Set when there is nothing to draw: shown in place of the chart and table. */
  empty?: string | null;
  legend?: ReactNode;
  viewBox: { width: number; height: number };
  children: ReactNode;
  table: { columns: readonly string[]; rows: ReadonlyArray<readonly ReactNode[]> };
}) {
  const { t } = useTranslation();
  return (
    <figure className="chart" aria-labelledby={`${chartId}-heading`}>
      <figcaption>
        <h2 id={`${chartId}-heading`}>{title}</h2>
        {note ? <p className="chart__note">{note}</p> : null}
      </figcaption>
      {empty ? (
        <p className="empty-state">{empty}</p>
      ) : (
        <>
          {legend}
          {/* Focusable, so a keyboard can scroll it where it is wider than a phone. */}
          <div className="chart__canvas" tabIndex={0} role="group" aria-labelledby={`${chartId}-heading`}>
            <svg
              viewBox={`0 0 ${viewBox.width} ${viewBox.height}`}
              role="img"
              aria-labelledby={`${chartId}-title`}
              aria-describedby={`${chartId}-desc`}
              className="chart__svg"
            >
              <title id={`${chartId}-title`}>{title}</title>
              <desc id={`${chartId}-desc`}>{description}</desc>
              {children}
            </svg>
          </div>
          <details className="chart__table">
            <summary>{t('insights.charts.showTable')}</summary>
            <DataTable columns={table.columns}>
              {table.rows.map(([first, ...rest], rowIndex) => (
                // A table's rows are the chart's categories, fixed for the render.
                <tr key={rowIndex}>
                  <th scope="row">{first}</th>
                  {rest.map((cell, cellIndex) => (
                    <td key={cellIndex} className="numeric">
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </DataTable>
          </details>
        </>
      )}
    </figure>
  );
}

/** The series' names beside their marker or pattern, above a chart. */
export function ChartLegend({ chartId, labels, kind }: { chartId: string; labels: readonly string[]; kind: 'marker' | 'pattern' }) {
  return (
    <ul className="chart__legend">
      {labels.map((label, index) => (
        <li key={label}>
          <svg width="22" height="14" viewBox="0 0 22 14" aria-hidden="true" focusable="false">
            {kind === 'pattern' ? (
              // The chart's own <pattern>s: url(#…) reaches any SVG in the document.
              <rect x="1" y="1" width="20" height="12" fill={fillOf(chartId, index)} stroke={styleOf(index).color} />
            ) : (
              <>
                <line x1="0" y1="7" x2="22" y2="7" stroke={styleOf(index).color} strokeWidth="2" strokeDasharray={styleOf(index).dash} />
                <Marker index={index} x={11} y={7} size={4} />
              </>
            )}
          </svg>
          {label}
        </li>
      ))}
    </ul>
  );
}
