// Draws a run's page from the JSON the driver embedded in it (#run-data). Nothing is fetched:
// browsers refuse fetch() of local files, and the page must work from a copied run directory.
// After drawing, elements carry data-* attributes (data-rendered, data-points, data-loaded,
// data-box) that say what was drawn and where; the browser test reads them.
(function () {
  "use strict";

  const run = JSON.parse(document.getElementById("run-data").textContent);
  const byId = (id) => document.getElementById(id);

  // Served by WebHDFS or HttpFS the page's URL is .../index.html?op=OPEN[&user.name=…]. Relative
  // links resolve without that query, so each file link gets it back.
  const query = /(^|&)op=open(&|$)/i.test(location.search.slice(1)) ? location.search : "";
  const link = (path) => path + query;

  const LOSSES = [
    { key: "critic_loss", title: "Critic loss", color: "#c0392b" },
    { key: "generator_loss", title: "Generator loss", color: "#2c7fb8" },
    { key: "wasserstein_estimate", title: "Wasserstein estimate", color: "#238b45" },
    { key: "gradient_penalty", title: "Gradient penalty", color: "#8856a7" },
  ];
  const plots = [];

  function element(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (className) e.className = className;
    return e;
  }

  function number(x) {
    if (x === null || x === undefined || !isFinite(x)) return "–";
    const a = Math.abs(x);
    if (a !== 0 && (a >= 1e5 || a < 1e-3)) return x.toExponential(2);
    return Number.isInteger(x) ? String(x) : x.toPrecision(4);
  }

  function median(values) {
    const v = values.filter((x) => x !== null && isFinite(x)).sort((a, b) => a - b);
    return v.length ? v[Math.floor(v.length / 2)] : null;
  }

  function note(id, text) {
    byId(id).textContent = text;
    byId(id).hidden = false;
  }

  // One uPlot line chart of series against x, as wide as its container.
  function lineChart(container, title, xLabel, xs, series) {
    const opts = {
      title: title,
      width: Math.max(280, container.clientWidth),
      height: 240,
      scales: { x: { time: false } },
      axes: [{ label: xLabel }, { size: 64 }],
      series: [{ label: xLabel }].concat(series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: 1.5,
        dash: s.dash,
        points: { show: xs.length <= 30 },
      }))),
    };
    const plot = new uPlot(opts, [xs].concat(series.map((s) => s.values)), container);
    plots.push({ plot: plot, container: container });
    container.dataset.points = String(xs.length);
    container.dataset.rendered = "true";
    return plot;
  }

  function markLoading(img) {
    img.addEventListener("load", () => { img.dataset.loaded = "true"; });
    img.addEventListener("error", () => { img.dataset.error = "true"; });
  }

  function header() {
    const p = run.progress;
    byId("run-name").textContent = run.run;
    byId("run-location").textContent = run.location;
    byId("written-at").textContent = run.written_at;
    byId("run-state").textContent = p.finished ? "finished" : "training (this page is rewritten as it goes)";
    const epochs = run.metrics.epoch;
    const epoch = epochs.length ? " · epoch " + number(epochs[epochs.length - 1]) : "";
    if (p.total_steps !== null && p.total_steps > 0) {
      const fraction = Math.min(1, p.step / p.total_steps);
      byId("progress-fill").style.width = (100 * fraction).toFixed(1) + "%";
      byId("progress-text").textContent = "generator step " + p.step + " of " + p.total_steps
        + " (" + (100 * fraction).toFixed(1) + " %)" + epoch;
    } else {
      byId("progress-text").textContent = "generator step " + p.step + epoch;
    }
    byId("config-summary").textContent = summary(run.config || {}, run.provenance || {});
    const list = byId("config-list");
    const add = (key, value) => {
      list.append(element("dt", key), element("dd", Array.isArray(value) ? value.join(",") : String(value)));
    };
    Object.entries(run.config || {}).forEach(([k, v]) => add(k, v));
    const provenance = run.provenance || {};
    ["images", "git_sha", "spark_master", "spark_application_id", "started_at", "resumed_from"]
      .filter((k) => provenance[k] !== undefined && provenance[k] !== null)
      .forEach((k) => add(k, provenance[k]));
  }

  // The settings that shape a run, in one line; the details list has every key.
  function summary(c, provenance) {
    const parts = [];
    if (c.workers !== undefined) parts.push(c.workers + " workers × batch " + c.batch);
    if (c.nCritic !== undefined) parts.push("nCritic " + c.nCritic);
    if (c.lambdaGp !== undefined) parts.push("λ " + c.lambdaGp);
    if (c.lr !== undefined) {
      // The rate the replicas train with (lr scaled for the workers), where the run recorded it.
      const rate = provenance.replica_learning_rate !== undefined ? provenance.replica_learning_rate : c.lr;
      parts.push("Adam lr " + rate + (rate !== c.lr ? " (lr " + c.lr + " scaled for " + c.workers + " workers)" : "")
        + " (β " + c.beta1 + ", " + c.beta2 + ")");
    }
    if (c.workers > 1) {
      // Runs written before the parallelism key existed averaged their replicas.
      if (c.parallelism === "synchronous") {
        parts.push("synchronous: gradients added every step, global batch " + c.workers * c.batch
          + (c["generator.batchNormSync"] ? ", BatchNorm over all workers" : ""));
      } else if (c.averagingFrequency !== undefined) {
        parts.push("parameter averaging every " + c.averagingFrequency + " generator steps");
      }
    }
    if (c.model === "dcgan") {
      parts.unshift("dcgan model, D " + c["dcgan.dim"] + ", latent " + c.latent);
    } else {
      // Runs written before the model key existed are MLP runs.
      parts.unshift("MLP model");
      if (c.latent !== undefined) parts.push("G " + [c.latent].concat(c["generator.hidden"] || []).join("→"));
      if (c["critic.hidden"] !== undefined) parts.push("D " + c["critic.hidden"].concat([1]).join("→"));
    }
    if (c.seed !== undefined) parts.push("seed " + c.seed);
    if (c.data !== undefined) {
      parts.push("data " + c.data + (provenance.images ? " (" + provenance.images + " images)" : ""));
    }
    return parts.join(" · ");
  }

  function problems() {
    if (!run.problems.length) return;
    const list = byId("problems");
    run.problems.forEach((p) => list.append(element("li", p)));
    list.hidden = false;
  }

  function losses() {
    const m = run.metrics;
    if (!m.step.length) {
      note("losses-note", "No round has finished yet.");
      return;
    }
    if (m.stride > 1) {
      note("losses-note", m.rounds + " rounds, every " + m.stride + "th drawn.");
    }
    const charts = byId("loss-charts");
    LOSSES.forEach((s) => {
      const container = element("div", undefined, "chart");
      container.id = "chart-" + s.key;
      charts.append(container);
      lineChart(container, s.title, "generator step", m.step, [{ label: s.title, values: m[s.key], color: s.color }]);
    });
    // Synchronous runs measure the gradient noise scale (docs/scaling.md): the batch beyond which
    // more workers stop buying fewer steps.
    if ((m.noise_scale_critic || []).some((v) => v !== null)) {
      const container = element("div", undefined, "chart");
      container.id = "chart-noise-scale";
      charts.append(container);
      lineChart(container, "Gradient noise scale B_simple", "generator step", m.step, [
        { label: "critic", values: m.noise_scale_critic, color: "#c0392b" },
        { label: "generator", values: m.noise_scale_generator, color: "#2c7fb8" },
      ]);
    }
    const sync = m.round_seconds.map((r, i) => (r > 0 && m.sync_seconds[i] !== null ? m.sync_seconds[i] / r : null));
    const allreduce = m.round_seconds.map((r, i) => (r > 0 && m.allreduce_s && m.allreduce_s[i] !== null
      ? m.allreduce_s[i] / r : null));
    byId("throughput").textContent = "Median over the rounds: " + number(median(m.images_per_s)) + " images/s, "
      + number(median(m.round_seconds)) + " s per round, " + number(100 * median(sync)) + " % of it synchronisation"
      + (allreduce.some((v) => v !== null && v > 0) ? ", " + number(100 * median(allreduce)) + " % in the allreduce."
        : ".");
  }

  function samples() {
    const grids = run.grids;
    const img = byId("grid-image");
    markLoading(img);
    if (!grids.length) {
      note("samples-note", "No sample grid yet: the first appears after sampleInterval generator steps.");
      byId("grid").hidden = true;
    } else {
      const slider = byId("grid-slider");
      const show = (i) => {
        const g = grids[i];
        delete img.dataset.loaded;
        img.src = link(g.file);
        img.dataset.step = String(g.step);
        byId("grid-label").textContent = "step " + g.step + " · epoch " + g.epoch + " · " + g.file
          + " (" + (i + 1) + " of " + grids.length + ")";
      };
      slider.max = String(grids.length - 1);
      slider.value = String(grids.length - 1);
      slider.addEventListener("input", () => show(Number(slider.value)));
      show(grids.length - 1);
    }
    const gif = byId("gif-image");
    markLoading(gif);
    if (run.gif) {
      gif.src = link(run.gif);
    } else {
      byId("gif").hidden = true;
    }
  }

  function evaluation() {
    const results = run.evaluations;
    if (!results.length) {
      note("evaluation-note", "No evaluation results yet: they appear here once eval/<checkpoint>.json files exist"
        + " (the evaluate command writes them; rewrite this page with the gallery command afterwards).");
      byId("evaluation").querySelector(".eval-row").hidden = true;
      return;
    }
    const series = [{ label: "FID", values: results.map((r) => r.fid), color: "#c0392b" }];
    if (results.some((r) => typeof r.fid_floor === "number")) {
      series.push({ label: "FID floor (held-out real)", values: results.map((r) => r.fid_floor ?? null),
        color: "#656d76", dash: [6, 4] });
    }
    lineChart(byId("fid-chart"), "FID against generator step", "generator step",
      results.map((r) => r.generator_steps), series);
    latest(results[results.length - 1]);
  }

  function latest(r) {
    const box = byId("latest-eval");
    box.append(element("h3", "Latest: " + (r.checkpoint || r.file)));
    const table = element("table");
    const row = (label, value) => {
      const tr = element("tr");
      tr.append(element("th", label), element("td", value, "num"));
      table.append(tr);
    };
    row("generator steps", number(r.generator_steps));
    if (r.critic_iters !== undefined) row("critic iterations", number(r.critic_iters));
    row("FID", number(r.fid));
    if (r.fid_floor !== undefined) row("FID floor (held-out real vs real)", number(r.fid_floor));
    if (r.modes_covered !== undefined) row("digit classes covered", number(r.modes_covered) + " of 10");
    if (r.mean_confidence !== undefined) row("mean classifier confidence", number(r.mean_confidence));
    if (r.classifier_accuracy !== undefined) row("classifier accuracy (held-out)", number(r.classifier_accuracy));
    if (r.samples !== undefined) row("generated samples", number(r.samples));
    if (r.held_out !== undefined) row("held-out real images", number(r.held_out));
    if (r.seed !== undefined) row("seed", number(r.seed));
    box.append(table);

    const counts = Array.isArray(r.class_histogram) ? r.class_histogram : [];
    if (!counts.length) return;
    box.append(element("h3", "Generated samples by predicted class"));
    const hist = element("table", undefined, "histogram");
    hist.id = "class-histogram";
    const most = Math.max(1, ...counts);
    counts.forEach((count, digit) => {
      const tr = element("tr");
      const bar = element("td", undefined, "bar");
      const fill = element("div", undefined, "fill");
      fill.style.width = (100 * count / most).toFixed(1) + "%";
      bar.append(fill);
      tr.append(element("th", String(digit)), bar, element("td", String(count), "num"));
      hist.append(tr);
    });
    box.append(hist);
  }

  // Each part draws on its own: one that fails leaves the others, and says so on the page.
  [header, problems, losses, samples, evaluation].forEach((part) => {
    try {
      part();
    } catch (e) {
      document.body.dataset.scriptError = (document.body.dataset.scriptError || "") + part.name + ": " + e + "; ";
      const list = byId("problems");
      list.append(element("li", "The page could not draw its " + part.name + " part: " + e));
      list.hidden = false;
    }
  });
  // Where each chart and image ended up once the images have loaded (they move what follows
  // them): a check of a screenshot of the page looks there.
  window.addEventListener("load", () => {
    document.querySelectorAll(".chart[data-rendered], img[data-loaded]").forEach((e) => {
      const r = e.getBoundingClientRect();
      e.dataset.box = [r.left + scrollX, r.top + scrollY, r.width, r.height].map(Math.round).join(",");
    });
  });
  window.addEventListener("resize", () => {
    plots.forEach((p) => p.plot.setSize({ width: Math.max(280, p.container.clientWidth), height: 240 }));
  });
  document.body.dataset.rendered = "true";
})();
