// The profiler panel's browser code. For now an empty shell that says the panel is coming;
// the same bundle will render inside a VS Code webview and in the standalone HTML report.

const root = document.getElementById('root') ?? document.body;
root.textContent = 'Parallel Lab profiler';
