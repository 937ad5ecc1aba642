// Render the math that pymdownx.arithmatex leaves as \( \) and \[ \] with the site's own KaTeX.
// document$ is Material's page observable: it also fires after instant navigation.
document$.subscribe(function () {
  renderMathInElement(document.body, {
    delimiters: [
      { left: "\\[", right: "\\]", display: true },
      { left: "\\(", right: "\\)", display: false },
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false },
    ],
    ignoredClasses: ["highlight", "md-search"],
    throwOnError: false,
  });
});
