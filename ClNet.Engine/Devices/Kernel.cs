namespace ClNet.Engine;

/// <summary>One compiled kernel. Arguments are set by index; the chainable setters keep call sites short.</summary>
public sealed unsafe class Kernel
{
    internal nint Handle { get; }
    public string Name { get; }

    internal Kernel(nint handle, string name)
    {
        Handle = handle;
        Name = name;
    }

    public Kernel Set(uint index, DeviceBuffer? buffer)
    {
        nint mem = buffer?.Handle ?? 0;   // a NULL cl_mem is a NULL __global pointer in the kernel
        OpenCl.Check(OpenCl.Api.SetKernelArg(Handle, index, (nuint)sizeof(nint), &mem), $"clSetKernelArg({Name}, {index})");
        return this;
    }

    public Kernel Set(uint index, int value)
    {
        OpenCl.Check(OpenCl.Api.SetKernelArg(Handle, index, sizeof(int), &value), $"clSetKernelArg({Name}, {index})");
        return this;
    }

    public Kernel Set(uint index, float value)
    {
        OpenCl.Check(OpenCl.Api.SetKernelArg(Handle, index, sizeof(float), &value), $"clSetKernelArg({Name}, {index})");
        return this;
    }

    public Kernel Set(uint index, uint value)
    {
        OpenCl.Check(OpenCl.Api.SetKernelArg(Handle, index, sizeof(uint), &value), $"clSetKernelArg({Name}, {index})");
        return this;
    }

    public Kernel Set(uint index, System.Numerics.Vector4 value)   // a float4 argument
    {
        OpenCl.Check(OpenCl.Api.SetKernelArg(Handle, index, (nuint)sizeof(System.Numerics.Vector4), &value), $"clSetKernelArg({Name}, {index})");
        return this;
    }

    internal void Release() => OpenCl.Api.ReleaseKernel(Handle);

    public override string ToString() => Name;
}
