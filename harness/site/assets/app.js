document.title += ' (scripted)';
