using System.Buffers;

namespace BeTrace.Gateway.Receivers;

/// <summary>A growable byte buffer on <see cref="ArrayPool{T}"/> with a hard capacity, for request bodies.</summary>
internal sealed class PooledBuffer : IDisposable
{
    private readonly int _maxCapacity;
    private byte[] _array;

    public PooledBuffer(int initialCapacity, int maxCapacity)
    {
        _maxCapacity = maxCapacity;
        _array = ArrayPool<byte>.Shared.Rent(Math.Clamp(initialCapacity, 1, maxCapacity));
    }

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, Length);

    /// <summary>Free space to read into: at least one byte unless the buffer is at its capacity (then empty).</summary>
    public Memory<byte> FreeMemory()
    {
        if (Length == _array.Length && _array.Length < _maxCapacity)
        {
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_array.Length * 2, _maxCapacity));
            _array.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }

        return _array.AsMemory(Length, Math.Min(_array.Length, _maxCapacity) - Length);
    }

    public void Advance(int count) => Length += count;

    /// <summary>A read-only stream over the content (valid until the buffer is disposed).</summary>
    public Stream AsStream() => new MemoryStream(_array, 0, Length, writable: false);

    public void Dispose()
    {
        var array = _array;
        _array = [];
        Length = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
