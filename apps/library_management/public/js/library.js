// Library Management's desk script: served as /assets/library_management/js/library.js (and under
// its content-hashed name from sites/assets/library_management/manifest.json) after bench build.
window.library_management = {
  catalogue: () => fetch("/api/method/library_management.api.catalogue").then((r) => r.json()).then((r) => r.message),
};
