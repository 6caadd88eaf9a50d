using System.Net;
using System.Net.Sockets;

namespace BeTrace.Testing;

/// <summary>Free TCP ports on 127.0.0.1 for the servers a test starts.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
