// Live progress on a job page: the server-sent events of /api/v1/jobs/{id}/events, appended as they come;
// the page reloads once the job finishes, to show its verdicts. Text goes in as text, never as HTML.
(function () {
  const progress = document.getElementById('progress');
  if (!progress || progress.dataset.finished === 'true') {
    return;
  }
  const terminal = ['PASSED', 'FAILED', 'ERROR', 'CANCELLED', 'TIMED_OUT'];
  const list = document.getElementById('events');
  const badge = document.getElementById('job-state');
  const live = document.getElementById('live');
  let last = Number(progress.dataset.last);
  const source = new EventSource('/api/v1/jobs/' + encodeURIComponent(progress.dataset.job) + '/events');

  // 2026-11-25T09:03:34.686Z as the server prints it: 2026-11-25 09:03:34 UTC
  function utc(iso) {
    return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
  }

  function span(cls, text) {
    const s = document.createElement('span');
    s.className = cls;
    s.textContent = text;
    return s;
  }

  source.onmessage = function (message) {
    const event = JSON.parse(message.data);
    if (event.sequence <= last) {
      return;
    }
    last = event.sequence;
    const item = document.createElement('li');
    item.dataset.sequence = event.sequence;
    item.append(span('time', utc(event.at)), ' ', span('state state-' + event.state, event.state), ' ', event.message);
    list.append(item);
    badge.textContent = event.state;
    badge.className = 'state state-' + event.state;
    if (terminal.includes(event.state)) {
      source.close();
      live.textContent = 'finished: loading the verdicts…';
      window.location.reload();
    }
  };
  source.onerror = function () {
    live.textContent = 'live: connection lost, retrying…';
  };
})();
