// planwatch: draws the dashboard's charts with ECharts (served by planwatch itself) from the
// JSON each page embeds next to the chart. The pages are complete without this script: every
// chart has a table with the same figures.
(function () {
  'use strict';
  if (typeof window.echarts === 'undefined') return;
  var FONT = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif';
  var charts = [];
  // For the browser tests and for anyone inspecting a page: the drawn charts by element id.
  window.planwatchCharts = {};

  function g6(x) {
    if (x === null || x === undefined || !isFinite(x)) return '—';
    return String(Number(x.toPrecision(6)));
  }

  // As the pages write it: 16/10万 for a rate per 1/10万, else the unit after the number.
  function withUnit(x, unit) {
    if (unit && unit.indexOf('1/') === 0) return g6(x) + unit.slice(1);
    return g6(x) + (unit || '');
  }

  function base() {
    return {
      textStyle: { fontFamily: FONT },
      animationDuration: 400,
      tooltip: { confine: true },
    };
  }

  // Stacked horizontal bars: one bar per domain or unit, one segment per status.
  function statusBars(d, el) {
    var o = base();
    var rows = d.categories.length;
    el.style.height = Math.max(220, 70 + rows * 30) + 'px';
    o.tooltip.trigger = 'axis';
    o.tooltip.axisPointer = { type: 'shadow' };
    o.legend = { top: 0, type: 'scroll', data: d.series.map(function (s) { return s.name; }) };
    o.grid = { left: 8, right: 24, top: 40, bottom: 8, containLabel: true };
    o.xAxis = { type: 'value', name: '项', minInterval: 1 };
    o.yAxis = {
      type: 'category',
      inverse: true,
      data: d.categories,
      axisLabel: { width: 150, overflow: 'truncate' },
    };
    o.series = d.series.map(function (s) {
      return {
        name: s.name,
        type: 'bar',
        stack: 'status',
        barMaxWidth: 22,
        itemStyle: { color: s.color },
        emphasis: { focus: 'series' },
        data: s.data.map(function (v) { return v === 0 ? null : v; }),
      };
    });
    return o;
  }

  // One indicator: observed values, the straight path to each target, the projection,
  // the target lines and the report year.
  function indicator(d, el) {
    var unit = d.unit || '';
    var o = base();
    var years = d.observed.map(function (p) { return p[0]; });
    d.targets.forEach(function (t) {
      years.push(t.year);
      if (t.path) years.push(t.path[0][0]);
    });
    var lo = Math.min.apply(null, years.concat([d.report_year]));
    var hi = Math.max.apply(null, years.concat([d.report_year]));
    o.tooltip.trigger = 'axis';
    o.tooltip.valueFormatter = function (v) { return v === null || v === undefined ? '—' : withUnit(v, unit); };
    o.legend = { top: 0, type: 'scroll' };
    o.grid = { left: 8, right: 28, top: 48, bottom: 40, containLabel: true };
    // As many year labels as fit, about 60 px each ("2030年" at 12 px is 46 px wide). The
    // axis starts a whole number of steps before the last year: ECharts always labels both
    // ends, and an end off the step would sit on its neighbour ("2028年2030年").
    var fit = Math.max(2, Math.floor(((el.clientWidth || 600) - 90) / 60));
    var step = Math.max(1, Math.ceil((hi - lo) / fit));
    lo = hi - Math.ceil((hi - lo) / step) * step;
    o.xAxis = {
      type: 'value',
      min: lo,
      max: hi,
      interval: step,
      axisLabel: { formatter: function (v) { return v + '年'; }, hideOverlap: true },
      splitLine: { show: false },
    };
    o.yAxis = {
      type: 'value',
      scale: true,
      name: unit,
      axisLabel: { formatter: function (v) { return g6(v); } },
    };
    o.dataZoom = [{ type: 'inside', xAxisIndex: 0 }];
    var series = [{
      name: d.demo ? '监测值（演示数据）' : '监测值',
      type: 'line',
      data: d.observed,
      symbol: 'circle',
      symbolSize: 7,
      lineStyle: { width: 3, color: '#1a4f8b' },
      itemStyle: { color: '#1a4f8b' },
      z: 5,
      markLine: {
        silent: true,
        symbol: 'none',
        lineStyle: { color: '#7a828c', type: 'dotted' },
        label: { formatter: '报告年度 ' + d.report_year, position: 'insideEndTop' },
        data: [{ xAxis: d.report_year }],
      },
    }];
    var many = d.targets.length > 1;
    d.targets.forEach(function (t) {
      var suffix = many ? '（' + t.year + '年）' : '';
      if (t.path) {
        series.push({
          name: '序时进度线' + suffix,
          type: 'line',
          data: t.path,
          symbol: 'none',
          lineStyle: { type: 'dashed', width: 2, color: '#a8141b' },
          itemStyle: { color: '#a8141b' },
          tooltip: { show: false },
        });
      }
      if (t.projection) {
        series.push({
          name: '趋势预测' + suffix,
          type: 'line',
          data: t.projection,
          symbol: 'emptyCircle',
          symbolSize: 6,
          lineStyle: { type: 'dotted', width: 2, color: '#e06a1b' },
          itemStyle: { color: '#e06a1b' },
        });
      }
      series.push({
        name: '目标值' + suffix,
        type: 'line',
        data: [[lo, t.value], [hi, t.value]],
        symbol: 'none',
        // The same line again, for its label above the left end inside the plot (the right end
        // is where the path and the projection meet the target).
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: '#1e7b3c', width: 1.5, type: 'solid' },
          label: { formatter: t.label, position: 'insideStartTop', color: '#1e7b3c' },
          data: [{ yAxis: t.value }],
        },
        lineStyle: { width: 1.5, color: '#1e7b3c' },
        itemStyle: { color: '#1e7b3c' },
        tooltip: { show: false },
        markPoint: {
          symbol: 'pin',
          symbolSize: 36,
          itemStyle: { color: '#1e7b3c' },
          label: { formatter: t.year + '' , fontSize: 10 },
          data: [{ coord: [t.year, t.value], name: t.label }],
        },
      });
    });
    o.series = series;
    return o;
  }

  // Sub-regions ranked: one bar each, coloured by status, the target as a line.
  function compare(d, el) {
    var unit = d.unit || '';
    var o = base();
    el.style.height = Math.max(240, 80 + d.categories.length * 32) + 'px';
    o.tooltip.trigger = 'axis';
    o.tooltip.axisPointer = { type: 'shadow' };
    o.tooltip.formatter = function (ps) {
      var p = ps[0];
      if (!p) return '';
      return p.name + '<br>' + (p.value === null || p.value === undefined ? '无数据' : withUnit(p.value, unit)) + ' · ' + d.statuses[p.dataIndex];
    };
    // Room above the plot for the target's label: inside it, the label sat on the bars.
    o.grid = { left: 8, right: 56, top: 40, bottom: 8, containLabel: true };
    // Bars start at zero: a cut axis would exaggerate the gaps between regions.
    o.xAxis = { type: 'value', axisLabel: { formatter: function (v) { return g6(v); } } };
    o.yAxis = { type: 'category', inverse: true, data: d.categories, axisLabel: { width: 140, overflow: 'truncate' } };
    var bar = {
      name: d.name,
      type: 'bar',
      barMaxWidth: 22,
      data: d.values.map(function (v, i) { return { value: v, itemStyle: { color: d.colors[i] } }; }),
      label: { show: true, position: 'right', formatter: function (p) { return p.value === null || p.value === undefined ? '无数据' : g6(p.value); } },
    };
    if (d.target !== null && d.target !== undefined) {
      bar.markLine = {
        silent: true,
        symbol: 'none',
        lineStyle: { color: '#1e7b3c', width: 2 },
        label: { formatter: d.target_label || ('目标 ' + g6(d.target)), position: 'start', distance: 6, color: '#1e7b3c' },
        data: [{ xAxis: d.target }],
      };
    }
    o.series = [bar];
    return o;
  }

  var builders = { 'status-bars': statusBars, indicator: indicator, compare: compare };

  function draw(el) {
    var src = document.getElementById(el.getAttribute('data-source'));
    var build = builders[el.getAttribute('data-chart')];
    if (!src || !build) return;
    var data;
    try {
      data = JSON.parse(src.textContent);
    } catch (e) {
      return;
    }
    el.classList.add('chart-on');
    var option = build(data, el);
    var chart = window.echarts.init(el, null, { renderer: 'canvas', locale: 'ZH' });
    chart.setOption(option);
    el.setAttribute('data-rendered', 'true');
    charts.push(chart);
    window.planwatchCharts[el.id] = chart;
  }

  function start() {
    var els = document.querySelectorAll('[data-chart]');
    for (var i = 0; i < els.length; i++) draw(els[i]);
    var pending = null;
    window.addEventListener('resize', function () {
      if (pending) clearTimeout(pending);
      pending = setTimeout(function () {
        charts.forEach(function (c) { c.resize(); });
      }, 120);
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
