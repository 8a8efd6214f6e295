// Starts Swagger UI on /docs from the vendored bundle (no inline script: the CSP forbids them).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: document.getElementById("swagger-ui").dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
  });
});
