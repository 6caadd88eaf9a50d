using BeTrace.Gateway.Otlp.Rpc;
using BeTrace.Gateway.Tests.Support;
using Grpc.Core;
using RpcStatus = BeTrace.Gateway.Otlp.Rpc.Status;

namespace BeTrace.Gateway.Tests.Integration;

internal static class Assertions
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static CallOptions Call(string? tenant = null, string? token = null)
    {
        var headers = new Metadata();
        if (tenant is not null)
        {
            headers.Add("X-Scope-OrgID", tenant);
        }

        if (token is not null)
        {
            headers.Add("Authorization", $"Bearer {token}");
        }

        return new CallOptions(headers, DateTime.UtcNow + Patience);
    }

    public static async Task<RpcException> GrpcFails(Task call, StatusCode expected)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.True(expected == ex.StatusCode, $"expected {expected}, got {ex.StatusCode}: {ex.Status.Detail}");
        return ex;
    }

    /// <summary>The RetryInfo delay of a gRPC error, or null when the error has none.</summary>
    public static TimeSpan? RetryDelay(RpcException ex)
    {
        var details = ex.Trailers.GetValueBytes("grpc-status-details-bin");
        if (details is null)
        {
            return null;
        }

        var status = RpcStatus.Parser.ParseFrom(details);
        Assert.Equal((int)ex.StatusCode, status.Code);
        return status.Details.Single().Unpack<RetryInfo>().RetryDelay.ToTimeSpan();
    }

    /// <summary>The gateway still takes good traffic over gRPC after a bad request.</summary>
    public static async Task ServesGrpcAsync(GatewayHost host, TraceGrainRecorder recorder, string? token = null)
    {
        var tenant = TestData.NewTenant();
        var response = await host.Grpc.ExportAsync(TestData.OneSpan(), Call(tenant, token));
        Assert.Null(response.PartialSuccess);
        Assert.Single(recorder.Appends(tenant));
    }
}
