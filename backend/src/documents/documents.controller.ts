import { Controller, Get, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { BadRequestException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
import { UuidPipe } from '../common/zod.pipe';
import { DocumentsService, UploadPart } from './documents.service';
import { ApiJson } from '../openapi/api-doc.decorators';
import { z } from 'zod';
import { DocumentSchema, SavedDocumentSchema } from './documents.responses';

async function* fileParts(req: FastifyRequest): AsyncIterable<UploadPart> {
  if (!req.isMultipart()) throw new BadRequestException('body: must be multipart/form-data with one or more "file" fields');
  for await (const part of req.parts()) {
    if (part.type !== 'file') continue;
    if (part.fieldname !== 'file') throw new BadRequestException(`${part.fieldname}: unknown field (send files as "file")`);
    yield {
      filename: part.filename,
      mimetype: part.mimetype,
      async read(limit: number) {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of part.file) {
          size += chunk.length;
          if (size > limit) {
            part.file.resume();
            return 'too_large';
          }
          chunks.push(chunk);
        }
        if (part.file.truncated) return 'too_large';
        return Buffer.concat(chunks);
      },
    };
  }
}

@ApiTags('documents')
@ApiBearerAuth()
@Controller('courses/:id/documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  @ApiConsumes('multipart/form-data')
  @Can('courses.create')
  @ApiJson(z.array(SavedDocumentSchema), { summary: 'Upload source documents (multipart, one or more "file" fields)', errors: [409] })
  upload(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Req() req: FastifyRequest) {
    return this.documents.upload(user, id, fileParts(req));
  }

  @Get()
  @Can('courses.read')
  @ApiJson(z.array(DocumentSchema), { summary: "The course's documents with what stages 2 and 3 made of them" })
  list(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.documents.list(user, id);
  }
}
