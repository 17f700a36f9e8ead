// Chooses the hostile stylesheets of csp-hostile.html from the query string, before the widget mounts:
//   ?clean                  no hostile stylesheet (the baseline the hostile page is compared with)
//   ?extra=rtl,rem,...      also the named extra stylesheets (each link's data-hostile)
// Module scripts run in document order, so this one runs before the loader's script tag mounts the widget.
const query = new URLSearchParams(location.search);
const wanted = new Set((query.get('extra') || '').split(',').filter(Boolean));
if (!query.has('clean')) wanted.add('hostile');
for (const link of document.querySelectorAll('link[data-hostile]')) {
  link.disabled = !wanted.has(link.dataset.hostile);
}
