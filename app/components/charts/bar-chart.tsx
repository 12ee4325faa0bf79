import { ChartFigure, ChartLegend, fillOf, PatternDefs, styleOf, useChartId, useNumberFormat } from './chart-kit';

export interface BarRow {
  key: string;
  label: string;
  /** One figure per segment, in the order of `segmentLabels`. */
  values: readonly number[];
  /** What to write at the bar's end; the total by default. */
  valueText?: string;
  /** More figures for the table only, under `extraHeaders`. */
  extra?: readonly string[];
}

const WIDTH = 640;
const ROW_HEIGHT = 46;
const BAR_HEIGHT = 18;
const VALUE_ROOM = 150;

/**
 * One horizontal bar per row, its name on the line above it (long product
 * area names fit on a phone), segments stacked with a fill pattern each,
 * and its figure written at its end.
 */
export function BarChart({
  title,
  description,
  note,
  empty,
  rows,
  categoryHeader,
  segmentLabels,
  totalHeader,
  extraHeaders = [],
}: {
  title: string;
  description: string;
  note?: string;
  empty?: string | null;
  rows: readonly BarRow[];
  categoryHeader: string;
  segmentLabels: readonly string[];
  /** The table's total column, shown when there are several segments. */
  totalHeader?: string;
  extraHeaders?: readonly string[];
}) {
  const chartId = useChartId();
  const format = useNumberFormat();
  const totals = rows.map((row) => row.values.reduce((sum, value) => sum + value, 0));
  const max = Math.max(1, ...totals);
  const scale = (WIDTH - VALUE_ROOM) / max;
  const height = rows.length * ROW_HEIGHT + 4;
  const stacked = segmentLabels.length > 1;

  return (
    <ChartFigure
      chartId={chartId}
      title={title}
      description={description}
      note={note}
      empty={empty}
      legend={stacked ? <ChartLegend chartId={chartId} labels={segmentLabels} kind="pattern" /> : undefined}
      viewBox={{ width: WIDTH, height }}
      table={{
        columns: [categoryHeader, ...segmentLabels, ...(stacked && totalHeader ? [totalHeader] : []), ...extraHeaders],
        rows: rows.map((row, index) => [
          row.label,
          ...row.values.map(format),
          ...(stacked && totalHeader ? [format(totals[index]!)] : []),
          ...(row.extra ?? []),
        ]),
      }}
    >
      <PatternDefs chartId={chartId} count={segmentLabels.length} />
      {rows.map((row, rowIndex) => {
        const top = rowIndex * ROW_HEIGHT;
        let start = 0;
        return (
          <g key={row.key}>
            <text x={0} y={top + 15} className="chart__label">
              {row.label}
            </text>
            {row.values.map((value, index) => {
              const x = start;
              start += value * scale;
              return value > 0 ? (
                <rect
                  key={index}
                  x={x}
                  y={top + 22}
                  width={value * scale}
                  height={BAR_HEIGHT}
                  fill={fillOf(chartId, index)}
                  stroke={styleOf(index).color}
                  strokeWidth="1"
                />
              ) : null;
            })}
            <text x={start + 8} y={top + 36} className="chart__value">
              {row.valueText ?? format(totals[rowIndex]!)}
            </text>
          </g>
        );
      })}
    </ChartFigure>
  );
}
