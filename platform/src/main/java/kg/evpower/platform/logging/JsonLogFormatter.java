package kg.evpower.platform.logging;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * One JSON object per log line (timestamp, level, logger, thread, message, MDC such as correlationId and stationId,
 * exception), for log shippers in production. Written with Jackson so every value is escaped correctly.
 */
public class JsonLogFormatter extends Formatter {

    private static final JsonFactory FACTORY = new JsonFactory();

    @Override
    public String format(LogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", Instant.ofEpochMilli(record.getMillis()).toString());
            json.writeStringField("level", record.getLevel().getName());
            json.writeStringField("logger", record.getLoggerName());
            if (record instanceof ExtLogRecord ext) {
                json.writeStringField("thread", ext.getThreadName());
                json.writeStringField("message", ext.getFormattedMessage());
                Map<String, String> mdc = ext.getMdcCopy();
                if (mdc != null) {
                    for (Map.Entry<String, String> entry : mdc.entrySet()) {
                        json.writeStringField(entry.getKey(), entry.getValue());
                    }
                }
            } else {
                json.writeStringField("message", formatMessage(record));
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                json.writeStringField("exception", trace.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            return record.getMessage() + System.lineSeparator();
        }
        return out.append(System.lineSeparator()).toString();
    }
}
