package dev.cacheops.sql;

import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.statement.Statement;

/**
 * Runs JSqlParser on the calling thread. {@code CCJSqlParserUtil.parse} would start a thread per
 * call and silently ignore whatever follows the first statement ({@code select 1; delete from x}),
 * so this class drives the parser itself and insists on reaching the end of the input.
 */
final class StatementParser {
    /**
     * Complex parsing (deep look-ahead) can take seconds on some inputs, so it is only retried on
     * short, bracket-balanced text.
     */
    private static final int COMPLEX_PARSING_MAX_LENGTH = 4_000;

    /** The outcome: a statement, or why there is none. */
    record Result(Statement statement, String failure) {
    }

    private StatementParser() {
    }

    /**
     * NOTE: JavaCC's {@code generateParseException} re-runs every look-ahead of the grammar to list
     * the tokens that were expected, which costs 150 ms and more per failed parse of a 60-character
     * statement (and is repeated by complex parsing). We only need the offending token, so this
     * builds the exception cheaply: failures become about as fast as successes.
     */
    private static final class QuickFailParser extends CCJSqlParser {
        QuickFailParser(String sql) {
            super(new StringProvider(sql));
        }

        @Override
        public ParseException generateParseException() {
            Token next = token == null ? null : token.next;
            return new ParseException(next == null || next.kind == CCJSqlParserConstants.EOF
                    ? "unexpected end of statement"
                    : "unexpected \"" + next.image + "\" at line " + next.beginLine + ", column " + next.beginColumn);
        }
    }

    static Result parse(String sql, SqlText text) {
        Result simple = parse(sql, false);
        if (simple.statement() != null || !text.balanced || sql.length() > COMPLEX_PARSING_MAX_LENGTH) {
            return simple;
        }
        Result complex = parse(sql, true);
        return complex.statement() != null ? complex : simple;
    }

    private static Result parse(String sql, boolean complex) {
        try {
            CCJSqlParser parser = new QuickFailParser(sql).withAllowComplexParsing(complex);
            Statement statement = parser.Statement();
            if (statement == null) {
                return new Result(null, "no statement");
            }
            if (parser.getNextToken().kind != CCJSqlParserConstants.EOF) {
                return new Result(null, "more than one statement");
            }
            return new Result(statement, null);
        } catch (StackOverflowError e) {
            return new Result(null, "statement nests too deeply for the parser");
        } catch (Throwable e) { // ParseException, TokenMgrError and any bug inside the parser
            String message = String.valueOf(e.getMessage());
            int newline = message.indexOf('\n');
            return new Result(null, "parse error: " + (newline < 0 ? message : message.substring(0, newline)));
        }
    }
}
