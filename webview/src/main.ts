// PLACEHOLDER (replaced by the convergence preview work): the preview page script.
export {};
