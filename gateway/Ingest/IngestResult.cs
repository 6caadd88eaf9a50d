using BeTrace.Gateway.Export;

namespace BeTrace.Gateway.Ingest;

/// <summary>
/// What the trace grains did with a request's groups. <see cref="Error"/> is set unless every group was accepted;
/// the counts then cover the groups that did answer.
/// </summary>
public sealed record IngestResult(int Groups, int Accepted, int Duplicates, int Dropped, ExportError? Error)
{
    public bool Succeeded => Error is null;
}
