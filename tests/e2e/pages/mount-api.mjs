// Form (c): the page's own module imports the loader and mounts the widget where it wants.
import Essaimage from '/essaimage.js';

const handle = Essaimage.mount(document.getElementById('carte'), { dataset: '/innovations-demo.json', lang: 'fr' });
window.essaimageHandle = handle;
document.getElementById('destroy').addEventListener('click', () => handle.destroy());
