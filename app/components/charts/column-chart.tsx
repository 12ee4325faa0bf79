import { ChartFigure, niceTicks, styleOf, useChartId, useNumberFormat } from './chart-kit';

const WIDTH = 640;
const HEIGHT = 240;
const MARGIN = { top: 24, right: 12, bottom: 40, left: 48 };

/**
 * One figure per category (week) as a column with its value written on
 * top. A category without a figure (null) gets no column and a dash, so
 * "none" is never drawn as zero.
 */
export function ColumnChart({
  title,
  description,
  note,
  empty,
  categories,
  categoryHeader,
  valueHeader,
  values,
  format: formatValue,
}: {
  title: string;
  description: string;
  note?: string;
  empty?: string | null;
  categories: readonly string[];
  categoryHeader: string;
  valueHeader: string;
  values: ReadonlyArray<number | null>;
  format?: (value: number) => string;
}) {
  const chartId = useChartId();
  const numberFormat = useNumberFormat();
  const format = formatValue ?? numberFormat;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const ticks = niceTicks(Math.max(0, ...values.map((value) => value ?? 0)));
  const top = ticks.at(-1)!;
  const slot = plotWidth / Math.max(1, categories.length);
  const barWidth = Math.min(40, slot * 0.6);
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const baseline = y(0);
  const everyOther = categories.length > 8;
  const { color } = styleOf(0);

  return (
    <ChartFigure
      chartId={chartId}
      title={title}
      description={description}
      note={note}
      empty={empty}
      viewBox={{ width: WIDTH, height: HEIGHT }}
      table={{
        columns: [categoryHeader, valueHeader],
        rows: categories.map((category, index) => {
          const value = values[index] ?? null;
          return [category, value === null ? '–' : format(value)];
        }),
      }}
    >
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} className="chart__grid" />
          <text x={MARGIN.left - 8} y={y(tick) + 4} textAnchor="end" className="chart__tick">
            {numberFormat(tick)}
          </text>
        </g>
      ))}
      {categories.map((category, index) => {
        const value = values[index] ?? null;
        const centre = MARGIN.left + slot * index + slot / 2;
        return (
          <g key={category}>
            {value !== null && value > 0 ? (
              <rect x={centre - barWidth / 2} y={y(value)} width={barWidth} height={baseline - y(value)} fill={color} />
            ) : null}
            <text x={centre} y={(value === null ? baseline : y(value)) - 6} textAnchor="middle" className="chart__value">
              {value === null ? '–' : format(value)}
            </text>
            {everyOther && (categories.length - 1 - index) % 2 === 1 ? null : (
              <text x={centre} y={HEIGHT - MARGIN.bottom + 22} textAnchor="middle" className="chart__tick">
                {category}
              </text>
            )}
          </g>
        );
      })}
    </ChartFigure>
  );
}
