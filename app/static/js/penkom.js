/* Penkom: Indonesian (or the active language) for Select2 and the date picker, without inline scripts.
   Loaded after select2 and before FAB's ab.js, which initialises the widgets when the page is ready. */
(function ($) {
    "use strict";
    var body = document.body;
    var t = function (name) { return body.getAttribute("data-" + name) || ""; };

    if ($.fn.select2) {
        var language = {
            noResults: function () { return t("no-results"); },
            searching: function () { return t("searching"); },
            loadingMore: function () { return t("loading-more"); },
            errorLoading: function () { return t("error-loading"); },
            removeAllItems: function () { return t("remove-all"); }
        };
        $.fn.select2.defaults.set("language", language);
        // FAB passes English placeholders ("Select a State", "Select") in code; use ours instead.
        var original = $.fn.select2;
        $.fn.select2 = function (options) {
            if (options && typeof options === "object" && /^Select( a State| Value)?$/.test(options.placeholder || "")) {
                options = $.extend({}, options, {placeholder: t("choose")});
            }
            return original.apply(this, [options].concat(Array.prototype.slice.call(arguments, 1)));
        };
        $.extend($.fn.select2, original);
    }

    if ($.fn.datepicker && t("lang") === "id") {
        $.fn.datepicker.dates.id = {
            days: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
            daysShort: ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
            daysMin: ["Mg", "Sn", "Sl", "Rb", "Km", "Jm", "Sb"],
            months: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                     "Oktober", "November", "Desember"],
            monthsShort: ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
            today: "Hari ini",
            clear: "Kosongkan",
            weekStart: 1
        };
        $.fn.datepicker.defaults.language = "id";
    }
})(jQuery);
