// Starts Swagger UI on the merged OpenAPI document (kept out of the page: no inline scripts).
// A classic script shares the page's global scope: keep its names to itself.
(() => {
  const root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    persistAuthorization: true,
  });
})();
