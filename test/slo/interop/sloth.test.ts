// Sloth specs: which events queries map onto selectors, what the alerting switches become, and the CRD form.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { slothEventsSelector } from '../../../slo/interop/queries';
import { importSloth } from '../../../slo/interop/sloth';

const FIXTURES = resolve(__dirname, '../../fixtures/sloth');

describe('Sloth events queries', () => {
  it.each([
    ['sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))', 'http_requests_total{code=~"5.."}'],
    ['  sum ( rate ( http_requests_total [ {{ .window }} ] ) )\n', 'http_requests_total'],
    ['sum(increase(jobs_total{queue="a"}[{{.window}}]))', 'jobs_total{queue="a"}'],
  ])('accepts %j', (query, selector) => {
    expect(slothEventsSelector(query)).toEqual({ ok: true, value: expect.objectContaining({ selector }) });
  });

  it.each([
    ['sum(rate(http_requests_total[5m]))', 'it does not use {{.window}}'],
    ['sum by (route) (rate(http_requests_total[{{.window}}]))', 'it aggregates `by`/`without` labels'],
    ['sum(rate(http_requests_total[{{.window}}])) without (pod)', 'it aggregates `by`/`without` labels'],
    ['rate(http_requests_total[{{.window}}])', 'it is not of the form sum(rate(SELECTOR[{{.window}}]))'],
    ['sum(rate(http_requests_total[{{.window}}])) + sum(rate(other_total[{{.window}}]))', 'is not a plain selector'],
    ['sum(rate(http_requests_total[{{.window}}h]))', 'its range is `[{{.window}}h]`'],
  ])('refuses %j', (query, reason) => {
    const mapped = slothEventsSelector(query);
    expect(mapped.ok).toBe(false);
    expect(!mapped.ok && mapped.reason).toContain(reason);
  });
});

describe('Sloth import', () => {
  it('maps increase() queries, a disabled page alert and declares the unknown counter external', () => {
    const file = resolve(FIXTURES, 'good-increase-and-disabled-page.yml');
    const result = importSloth(readFileSync(file, 'utf8'), 'good.yml');
    expect(result.spec.slos[0]).toMatchObject({
      name: 'charge-success',
      objective: 99.5,
      sli: { ratio: { errors: 'payment_charges_total{result="failed"}', total: 'payment_charges_total' } },
      alerting: { page: false, ticket: true },
    });
    expect(result.spec.externalMetrics).toEqual([{ name: 'payment_charges_total', type: 'counter', source: 'payments (imported from Sloth)' }]);
  });

  it('reads the PrometheusServiceLevel CRD form and locates problems under spec', () => {
    const crd = `apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
metadata: { name: myservice }
spec:
  service: myservice
  slos:
    - name: availability
      objective: 99
      sli:
        events:
          error_query: sum(rate(http_requests_total{status_code=~"5.."}[{{.window}}]))
          total_query: sum(rate(http_requests_total[{{.window}}]))
`;
    expect(importSloth(crd, 'crd.yaml').spec.slos[0].sli.ratio?.total).toBe('http_requests_total');
    expect(() => importSloth(crd.replace('objective: 99', 'objective: 100'), 'crd.yaml')).toThrow(
      /^crd\.yaml:8:18: spec\.slos\.0\.objective: must be below 100: a 100% objective leaves no error budget/,
    );
  });

  it('turns off page alerts an objective makes impossible, and says so', () => {
    const text = readFileSync(resolve(FIXTURES, 'good-increase-and-disabled-page.yml'), 'utf8')
      .replace('objective: 99.5', 'objective: 90')
      .replace(/    alerting:\n      page_alert:\n        disable: true\n/, '');
    const result = importSloth(text, 'good.yml');
    expect(result.spec.slos[0].alerting).toEqual({ page: false, ticket: true, minEvents: 30 });
    expect(result.notes).toContain('SLO charge-success: page alerts turned off: a 14.4x burn of a 10% budget can never happen');
  });

  it('refuses a file with several specs, naming the second', () => {
    const one = readFileSync(resolve(FIXTURES, 'good-increase-and-disabled-page.yml'), 'utf8');
    expect(() => importSloth(`${one}---\n${one}`, 'two.yml')).toThrow(/^two\.yml:20:1: this file holds 2 specs/);
  });
});
