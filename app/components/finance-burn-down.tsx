import { useTranslation } from 'react-i18next';
import { ChartFigure, ChartLegend, Marker, niceTicks, styleOf, useChartId } from '~/components/charts/chart-kit';
import { useFormatMoney } from '~/components/finance-money';
import type { BurnDownWeek } from '~/domain/pools/get-pool.server';
import { minorToDecimal } from '~/domain/money/money';

const WIDTH = 640;
const HEIGHT = 280;
const MARGIN = { top: 24, right: 24, bottom: 40, left: 76 };
/** The least room between two week labels on the axis, in SVG units. */
const LABEL_ROOM = 40;
/** Above this many weeks the points are too close for markers. */
const MARKER_WEEKS = 26;

/**
 * A pool's burn-down: the remaining budget at the end of each week so far
 * (solid, series 1) against an even burn from the budget to zero over the
 * period (dashed, series 2). Exact amounts are in the table; the drawing
 * uses numbers only for positions.
 */
export function BurnDownChart({
  weeks,
  currency,
  budgetMinor,
  periodStart,
  periodEnd,
}: {
  weeks: readonly BurnDownWeek[];
  currency: string;
  budgetMinor: string;
  periodStart: string;
  periodEnd: string;
}) {
  const { t, i18n } = useTranslation();
  const chartId = useChartId();
  const formatMoney = useFormatMoney();
  const compact = new Intl.NumberFormat(i18n.language, { style: 'currency', currency, notation: 'compact' });
  const tickLabel = (minor: number) => compact.format(minorToDecimal(BigInt(Math.round(minor)), currency) as Intl.StringNumericLiteral);
  const dayFormat = new Intl.DateTimeFormat(i18n.language, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const monthFormat = new Intl.DateTimeFormat(i18n.language, { month: 'short', timeZone: 'UTC' });
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateOf = (isoDay: string) => new Date(`${isoDay}T00:00:00Z`);

  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const ticks = niceTicks(Math.max(Number(budgetMinor), ...weeks.map((week) => Number(week.remainingMinor ?? 0))));
  const top = ticks.at(-1)!;
  const x = (index: number) => MARGIN.left + (weeks.length <= 1 ? plotWidth / 2 : (index * plotWidth) / (weeks.length - 1));
  // Over budget (remaining below zero) is drawn on the axis; the table has the figure.
  const y = (minor: string) => MARGIN.top + plotHeight - (Math.max(0, Number(minor)) / top) * plotHeight;

  // Few weeks: each week's day; many: the month where it changes, as room allows.
  const short = weeks.length <= 10;
  let lastLabelX = -Infinity;
  const axisLabels = weeks.flatMap((week, index) => {
    const date = dateOf(week.weekStart);
    const previous = index > 0 ? dateOf(weeks[index - 1]!.weekStart) : null;
    if (!short && previous && previous.getUTCMonth() === date.getUTCMonth()) return [];
    if (x(index) - lastLabelX < LABEL_ROOM) return [];
    lastLabelX = x(index);
    return [{ index, text: short ? dayFormat.format(date) : monthFormat.format(date) }];
  });

  const actual = weeks.flatMap((week, index) => (week.remainingMinor === null ? [] : [{ index, minor: week.remainingMinor }]));
  const latest = actual.at(-1);
  const markers = weeks.length <= MARKER_WEEKS;
  const remainingLabel = t('finance.pools.burnDown.remaining');
  const targetLabel = t('finance.pools.burnDown.target');

  return (
    <ChartFigure
      chartId={chartId}
      title={t('finance.pools.burnDown.title')}
      note={t('finance.pools.burnDown.note')}
      description={t('finance.pools.burnDown.desc', {
        start: dateFormat.format(dateOf(periodStart)),
        end: dateFormat.format(dateOf(periodEnd)),
        budget: formatMoney(budgetMinor, currency),
        summary: latest
          ? t('finance.pools.burnDown.latest', {
              week: dateFormat.format(dateOf(weeks[latest.index]!.weekStart)),
              remaining: formatMoney(latest.minor, currency),
              target: formatMoney(weeks[latest.index]!.targetMinor, currency),
            })
          : t('finance.pools.burnDown.notStarted'),
      })}
      legend={<ChartLegend chartId={chartId} labels={[remainingLabel, targetLabel]} kind="marker" />}
      viewBox={{ width: WIDTH, height: HEIGHT }}
      table={{
        columns: [t('finance.pools.burnDown.week'), remainingLabel, targetLabel],
        rows: weeks.map((week) => [
          dateFormat.format(dateOf(week.weekStart)),
          week.remainingMinor === null ? '–' : formatMoney(week.remainingMinor, currency),
          formatMoney(week.targetMinor, currency),
        ]),
      }}
    >
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(String(tick))} y2={y(String(tick))} className="chart__grid" />
          <text x={MARGIN.left - 8} y={y(String(tick)) + 4} textAnchor="end" className="chart__tick">
            {tickLabel(tick)}
          </text>
        </g>
      ))}
      {axisLabels.map((label) => (
        <text key={label.index} x={x(label.index)} y={HEIGHT - MARGIN.bottom + 22} textAnchor="middle" className="chart__tick">
          {label.text}
        </text>
      ))}
      <polyline
        points={weeks.map((week, index) => `${x(index)},${y(week.targetMinor)}`).join(' ')}
        fill="none"
        stroke={styleOf(1).color}
        strokeWidth="2"
        strokeDasharray={styleOf(1).dash}
      />
      {markers ? weeks.map((week, index) => <Marker key={week.weekStart} index={1} x={x(index)} y={y(week.targetMinor)} size={3} />) : null}
      {actual.length > 0 ? (
        <polyline
          points={actual.map((point) => `${x(point.index)},${y(point.minor)}`).join(' ')}
          fill="none"
          stroke={styleOf(0).color}
          strokeWidth="2.5"
        />
      ) : null}
      {actual.map((point) =>
        markers || point === latest ? <Marker key={point.index} index={0} x={x(point.index)} y={y(point.minor)} size={4} /> : null,
      )}
      {latest ? (
        <text
          x={x(latest.index)}
          y={y(latest.minor) - 10}
          textAnchor={latest.index > weeks.length / 2 ? 'end' : 'start'}
          className="chart__value"
        >
          {tickLabel(Number(latest.minor))}
        </text>
      ) : null}
    </ChartFigure>
  );
}
