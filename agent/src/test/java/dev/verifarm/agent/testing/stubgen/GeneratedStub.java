package dev.verifarm.agent.testing.stubgen;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * A resolver stub made of generated instructions of one architecture, laid out at {@link Layout#CODE}: its
 * machine code, and a concrete interpreter of those same instructions, written from the architecture manuals and
 * independent of the walk under test, that says what the stub returns in a given world.
 */
public final class GeneratedStub {

    /** What an instruction does to a world, and where execution goes next. */
    public sealed interface Next {
        record Fall() implements Next {
        }

        record Jump(int index) implements Next {
        }

        record Return(long target) implements Next {
        }

        /** Something the interpreter does not run (a call out of the stub): no outcome. */
        record Stop() implements Next {
        }
    }

    /** One generated instruction. */
    public interface Op {
        int size();

        byte[] encode(long pc, GeneratedStub stub);

        Next run(World world, GeneratedStub stub, boolean takeBranches);
    }

    private static final int MAX_STEPS = 1000;

    private final List<Op> ops;
    private final long[] addresses;
    private final int resultRegister;
    private final String text;

    public GeneratedStub(List<Op> ops, int resultRegister, String text) {
        this.ops = List.copyOf(ops);
        this.resultRegister = resultRegister;
        this.text = text;
        addresses = new long[ops.size() + 1];
        addresses[0] = Layout.CODE;
        for (int i = 0; i < ops.size(); i++) {
            addresses[i + 1] = addresses[i] + ops.get(i).size();
        }
    }

    public long address(int index) {
        return addresses[index];
    }

    /** The index of the op at address, or -1. */
    public int indexAt(long address) {
        for (int i = 0; i < ops.size(); i++) {
            if (addresses[i] == address) {
                return i;
            }
        }
        return -1;
    }

    public byte[] code() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < ops.size(); i++) {
            out.writeBytes(ops.get(i).encode(addresses[i], this));
        }
        return out.toByteArray();
    }

    /** Runs the stub in the world; branches other than the stack-split check go the way takeBranches says. */
    public World.Outcome run(World world, boolean takeBranches) {
        int i = 0;
        for (int steps = 0; steps < MAX_STEPS && i >= 0 && i < ops.size(); steps++) {
            long spBefore = world.sp;
            Next next = ops.get(i).run(world, this, takeBranches);
            if (next instanceof Next.Return r) {
                return new World.Outcome(r.target() == Layout.RETURN_ADDRESS && spBefore == world.entrySp,
                        world.load(world.entrySp + 8), world.registers[resultRegister]);
            }
            if (next instanceof Next.Stop) {
                break;
            }
            i = next instanceof Next.Jump j ? j.index() : i + 1;
        }
        return new World.Outcome(false, 0, 0);
    }

    @Override
    public String toString() {
        return text;
    }
}
