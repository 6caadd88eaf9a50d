using System.Globalization;
using System.IO.Compression;
using BeTrace.Gateway.Export;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace BeTrace.Gateway.Receivers;

/// <summary>
/// Reads an OTLP/HTTP body into a pooled buffer, never holding more than the limit (+1 byte to detect the excess):
/// the limit applies to the bytes received and, for gzip, again to the decompressed bytes.
/// </summary>
internal static class RequestBodyReader
{
    private const int DefaultInitialBytes = 16 * 1024;

    public static async Task<(PooledBuffer? Body, ExportError? Error)> ReadAsync(HttpRequest request, int limit, bool gzip, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return (null, TooLarge($"the request body is {request.ContentLength} bytes, the limit is {limit}"));
        }

        // Our limit is the request's limit (Kestrel's default is 30 MB); +1 so that reading one byte more is ours to detect.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = (long)limit + 1;
        }

        var raw = await ReadLimitedAsync(request.Body, (int)Math.Min(request.ContentLength ?? DefaultInitialBytes, limit), limit, cancellationToken)
            .ConfigureAwait(false);
        if (raw is null)
        {
            return (null, TooLarge($"the request body exceeds the limit of {limit} bytes"));
        }

        if (!gzip)
        {
            return (raw, null);
        }

        using (raw)
        {
            try
            {
                using var source = raw.AsStream();
                await using var inflater = new GZipStream(source, CompressionMode.Decompress);
                var body = await ReadLimitedAsync(inflater, (int)Math.Min(raw.Length * 4L, limit), limit, cancellationToken).ConfigureAwait(false);
                return body is null
                    ? (null, TooLarge($"the gzip body decompresses to more than the limit of {limit} bytes"))
                    : (body, null);
            }
            catch (InvalidDataException ex)
            {
                return (null, new ExportError(ExportErrorKind.InvalidArgument, $"Content-Encoding gzip: the body is not valid gzip ({ex.Message})"));
            }
        }
    }

    /// <summary>The whole stream, or null when it holds more than <paramref name="limit"/> bytes.</summary>
    private static async Task<PooledBuffer?> ReadLimitedAsync(Stream stream, int initialBytes, int limit, CancellationToken cancellationToken)
    {
        var buffer = new PooledBuffer(initialBytes + 1, limit + 1);
        try
        {
            while (true)
            {
                var free = buffer.FreeMemory();
                var read = free.Length == 0 ? 0 : await stream.ReadAsync(free, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
                if (buffer.Length > limit)
                {
                    buffer.Dispose();
                    return null;
                }
            }

            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    public static ExportError TooLarge(string message) =>
        new(ExportErrorKind.PayloadTooLarge, string.Create(CultureInfo.InvariantCulture, $"{message} (BeTrace:Gateway:MaxRequestBytes)"));
}
