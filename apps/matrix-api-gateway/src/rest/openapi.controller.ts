import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { OPENAPI_DOCUMENT } from './openapi';

/** The REST v1 contract, served to tools and people (no credential needed). */
@Controller('v1')
@ApiExcludeController()
export class OpenApiController {
  @Get('openapi.json')
  document(): typeof OPENAPI_DOCUMENT {
    return OPENAPI_DOCUMENT;
  }

  @Get('docs')
  @Header('content-type', 'text/html; charset=utf-8')
  docs(): string {
    const rows = Object.entries(OPENAPI_DOCUMENT.paths)
      .flatMap(([path, methods]) =>
        Object.entries(methods as unknown as Record<string, { summary: string }>).map(
          ([method, operation]) =>
            `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${path}</code></td><td>${operation.summary}</td></tr>`,
        ),
      )
      .join('\n');
    return `<!doctype html><html><head><meta charset="utf-8"><title>${OPENAPI_DOCUMENT.info.title}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}td{padding:.3rem .8rem;border-bottom:1px solid #ddd}</style></head>
<body><h1>${OPENAPI_DOCUMENT.info.title} ${OPENAPI_DOCUMENT.info.version}</h1><p>${OPENAPI_DOCUMENT.info.description}</p>
<p>Machine-readable: <a href="/v1/openapi.json">/v1/openapi.json</a></p><table>${rows}</table></body></html>`;
  }
}
