// The public page's chart (a file, not an inline script: the page is cached, so it carries no CSP nonce).
(function () {
  var canvas = document.getElementById("index-chart");
  var source = document.getElementById("index-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {labels: data.labels, datasets: [{label: canvas.getAttribute("data-label"), data: data.total, backgroundColor: "#1565c0"}]},
    options: {indexAxis: "y", animation: false, scales: {x: {beginAtZero: true}}}
  });
})();
