import { ChartFigure, ChartLegend, Marker, niceTicks, styleOf, useChartId, useNumberFormat } from './chart-kit';

export interface LineSeries {
  key: string;
  label: string;
  values: readonly number[];
}

const WIDTH = 640;
const HEIGHT = 300;
const MARGIN = { top: 16, right: 150, bottom: 40, left: 48 };
const LABEL_GAP = 16;

/**
 * Several series over the same categories (weeks): one line each, told
 * apart by colour, dash and marker shape, each ending in its name and last
 * value written beside it.
 */
export function LineChart({
  title,
  description,
  note,
  empty,
  categories,
  categoryHeader,
  series,
}: {
  title: string;
  description: string;
  note?: string;
  empty?: string | null;
  categories: readonly string[];
  categoryHeader: string;
  series: readonly LineSeries[];
}) {
  const chartId = useChartId();
  const format = useNumberFormat();
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const ticks = niceTicks(Math.max(0, ...series.flatMap((one) => one.values)));
  const top = ticks.at(-1)!;
  const x = (index: number) =>
    MARGIN.left + (categories.length <= 1 ? plotWidth / 2 : (index * plotWidth) / (categories.length - 1));
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const everyOther = categories.length > 8;

  // End labels in line order, pushed apart so none overlaps the next.
  const ends = series
    .map((one, index) => ({ index, y: y(one.values.at(-1) ?? 0), anchorY: y(one.values.at(-1) ?? 0), one }))
    .sort((a, b) => a.y - b.y);
  for (let index = 1; index < ends.length; index += 1) {
    ends[index]!.y = Math.max(ends[index]!.y, ends[index - 1]!.y + LABEL_GAP);
  }
  const overflow = (ends.at(-1)?.y ?? 0) - (HEIGHT - MARGIN.bottom + 4);
  if (overflow > 0) for (const end of ends) end.y -= overflow;

  return (
    <ChartFigure
      chartId={chartId}
      title={title}
      description={description}
      note={note}
      empty={empty}
      legend={<ChartLegend chartId={chartId} labels={series.map((one) => one.label)} kind="marker" />}
      viewBox={{ width: WIDTH, height: HEIGHT }}
      table={{
        columns: [categoryHeader, ...series.map((one) => one.label)],
        rows: categories.map((category, index) => [category, ...series.map((one) => format(one.values[index] ?? 0))]),
      }}
    >
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={MARGIN.left} x2={MARGIN.left + plotWidth} y1={y(tick)} y2={y(tick)} className="chart__grid" />
          <text x={MARGIN.left - 8} y={y(tick) + 4} textAnchor="end" className="chart__tick">
            {format(tick)}
          </text>
        </g>
      ))}
      {categories.map((category, index) =>
        everyOther && (categories.length - 1 - index) % 2 === 1 ? null : (
          <text key={category} x={x(index)} y={HEIGHT - MARGIN.bottom + 22} textAnchor="middle" className="chart__tick">
            {category}
          </text>
        ),
      )}
      {series.map((one, index) => (
        <g key={one.key}>
          <polyline
            points={one.values.map((value, at) => `${x(at)},${y(value)}`).join(' ')}
            fill="none"
            stroke={styleOf(index).color}
            strokeWidth="2.5"
            strokeDasharray={styleOf(index).dash}
          />
          {one.values.map((value, at) => (
            <Marker key={at} index={index} x={x(at)} y={y(value)} size={4} />
          ))}
        </g>
      ))}
      {ends.map((end) => {
        const lastX = x(categories.length - 1);
        return (
          <g key={end.one.key}>
            {Math.abs(end.y - end.anchorY) > 1 ? (
              <line x1={lastX + 6} y1={end.anchorY} x2={lastX + 16} y2={end.y} stroke={styleOf(end.index).color} strokeWidth="1" />
            ) : null}
            <text x={lastX + 20} y={end.y + 4} className="chart__label">
              {end.one.label} <tspan className="chart__value">{format(end.one.values.at(-1) ?? 0)}</tspan>
            </text>
          </g>
        );
      })}
    </ChartFigure>
  );
}
