// Renders /openapi.json with Swagger UI (compiled into the server; no CDN).
// validatorUrl: null keeps the viewer from calling the online validator.
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  defaultModelsExpandDepth: 0,
});
