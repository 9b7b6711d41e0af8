"""Facts for the synthetic benchmark: Iranian given and family names in Persian script, with the Latin
spellings outlets actually use (most common first), and a rough weight for how common each is.

Written by hand from how the names appear in Persian and English-language reporting (HRANA, Hengaw,
IranWire, BBC Persian, Amnesty, IHR); weights are orders of magnitude, not statistics. The long tail of
family names is built the way Iranian family names are: a root and a suffix (-i, -pour, -zadeh, -nejad,
-nia, -far, -rad, -vand, -lou), or a place of origin (Tehrani, Shirazi ...).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Name:
    persian: tuple[str, ...]  # spellings in Persian script (the first is the usual one)
    latin: tuple[str, ...]  # Latin spellings, most common first
    weight: float
    seyed: bool = False  # family names of sayyids, often written with the honorific "Seyed"


def _table(text: str, *, seyed_marker: str = "*") -> list[Name]:
    names = []
    for line in text.strip().splitlines():
        persian, latin, weight = (part.strip() for part in line.split("|"))
        seyed = weight.endswith(seyed_marker)
        names.append(
            Name(
                tuple(p.strip() for p in persian.split(",")),
                tuple(spelling.strip() for spelling in latin.split(",")),
                float(weight.rstrip(seyed_marker)),
                seyed,
            )
        )
    return names


# ZWNJ is written as \u200c in compound names (محمد‌رضا): one of the three ways the compound appears.
MALE = _table(
    """
محمد | Mohammad, Mohamad, Muhammad, Mohammed, Mohamed | 10
علی | Ali | 8
حسین | Hossein, Hosein, Hussein, Hosseyn | 6
رضا | Reza | 4
مهدی | Mehdi, Mahdi | 5
محمدرضا, محمد رضا, محمد\u200cرضا | Mohammadreza, Mohammad Reza, Mohammad-Reza, Mohamadreza | 4
علیرضا, علی رضا | Alireza, Ali Reza, Ali-Reza | 3
امیر | Amir | 3
حسن | Hassan, Hasan | 4
احمد | Ahmad, Ahmed | 3
مرتضی | Morteza, Murtaza | 2
مصطفی | Mostafa, Mustafa, Moustafa | 2
سعید | Saeed, Saeid, Said | 2
مجید | Majid | 2
جواد | Javad | 2
محسن | Mohsen | 2
حمید | Hamid | 2
مسعود | Masoud, Masood, Massoud | 1.5
امید | Omid | 1.5
ابراهیم | Ebrahim, Ibrahim | 1.5
اسماعیل | Esmaeil, Esmail, Ismail | 1
یوسف | Yousef, Yusef, Yousof | 1
داوود, داود | Davood, Davoud, Dawood | 1
محمود | Mahmoud, Mahmood, Mahmud | 1.5
کامران | Kamran | 1
بهروز | Behrouz, Behrooz | 1
سیاوش | Siavash, Siyavash | 1
پویا | Pouya, Pooya | 1
آرش | Arash | 1.5
نوید | Navid | 1.5
میلاد | Milad | 1.5
ایمان | Iman | 1
مجتبی | Mojtaba, Mujtaba | 1
عباس | Abbas | 1.5
قاسم | Ghasem, Qasem | 1
صادق | Sadegh, Sadeq | 1
کاظم | Kazem, Kazim | 0.8
جعفر | Jafar, Ja'far | 0.8
پیمان | Peyman, Payman | 1
بابک | Babak | 1
فرهاد | Farhad | 1
کوروش | Kourosh, Kurosh, Koorosh | 0.7
هادی | Hadi | 1
یاسر | Yaser, Yasser | 0.7
غلامرضا, غلام رضا | Gholamreza, Gholam Reza, Qolamreza | 0.8
عبدالله | Abdollah, Abdullah | 0.7
هیمن | Hemin | 0.4
زانیار | Zanyar | 0.3
لقمان | Loghman, Luqman | 0.3
شاهو | Shaho | 0.3
جاسم | Jasem, Jassim | 0.3
امیرحسین, امیر حسین | Amirhossein, Amir Hossein, Amir-Hossein | 2
ابوالفضل | Abolfazl, Abolfazel, Abulfazl | 2
محمدحسین, محمد حسین | Mohammadhossein, Mohammad Hossein | 1.5
محمدعلی, محمد علی | Mohammadali, Mohammad Ali, Mohammad-Ali | 1.5
علی‌اکبر, علی اکبر, علیاکبر | Aliakbar, Ali Akbar, Ali-Akbar | 1
محمدمهدی, محمد مهدی | Mohammadmahdi, Mohammad Mahdi, Mohammad Mehdi | 1
امیرمحمد, امیر محمد | Amirmohammad, Amir Mohammad | 1
علی‌اصغر, علی اصغر | Aliasghar, Ali Asghar | 0.7
غلامحسین, غلام حسین | Gholamhossein, Gholam Hossein | 0.7
محمدجواد, محمد جواد | Mohammadjavad, Mohammad Javad | 0.7
سینا | Sina | 1
آرمان | Arman | 1
پارسا | Parsa | 1
مهران | Mehran | 1
رامین | Ramin | 1
بهنام | Behnam | 1
وحید | Vahid | 1.5
حامد | Hamed | 1
سامان | Saman | 1
شهاب | Shahab | 0.8
احسان | Ehsan | 1.2
افشین | Afshin | 0.8
فرزاد | Farzad | 0.8
کاوه | Kaveh, Kave | 0.8
نیما | Nima | 1
پدرام | Pedram | 0.6
سجاد | Sajjad, Sajad | 1.2
"""
)

FEMALE = _table(
    """
فاطمه | Fatemeh, Fateme, Fatima, Fatemah | 5
زهرا | Zahra | 5
مریم | Maryam, Mariam | 4
نرگس | Narges, Narjes | 2
سپیده | Sepideh, Sepide | 2
زینب | Zeinab, Zeynab, Zainab | 2
معصومه | Masoumeh, Masoomeh, Masumeh | 2
مینا | Mina | 1.5
سارا | Sara, Sarah | 2
لیلا | Leila, Leyla, Layla | 1.5
نگار | Negar | 1.5
نازنین | Nazanin | 1.5
الهام | Elham | 1.5
شیرین | Shirin | 1.5
مهسا | Mahsa | 1.5
نیلوفر | Niloufar, Niloofar, Nilufar | 1.5
پریسا | Parisa | 1
ژینا | Zhina, Jina | 0.5
وریشه | Varisheh, Varishe | 0.3
آزاده | Azadeh, Azade | 1
سمیرا | Samira | 1
راضیه | Razieh, Raziyeh | 1
طاهره | Tahereh, Tahere | 0.7
هدی | Hoda | 0.8
رویا | Roya | 0.8
سمانه | Samaneh | 1
فرشته | Fereshteh, Fereshte | 1
نسرین | Nasrin | 1
مهناز | Mahnaz | 0.7
یاسمن | Yasaman, Yasamin | 0.8
آیدا | Aida, Ayda | 0.8
بهاره | Bahareh | 1
نیکا | Nika | 0.5
حدیث | Hadis, Hadith | 0.5
اکرم | Akram | 0.7
صدیقه | Sedigheh, Sediqeh | 0.7
گلرخ | Golrokh | 0.3
فاطمه زهرا | Fatemeh Zahra, Fatemeh-Zahra | 0.5
الناز | Elnaz | 1
غزل | Ghazal, Qazal | 1
محبوبه | Mahboubeh, Mahboobeh | 0.8
ناهید | Nahid | 0.8
شهلا | Shahla | 0.6
سهیلا | Soheila, Soheyla | 0.8
فریده | Farideh, Faride | 0.7
عاطفه | Atefeh, Atefe | 1
کوثر | Kowsar, Kosar, Kawsar | 0.8
مونا | Mona | 0.8
ندا | Neda | 1
ستاره | Setareh, Setare | 1
هلیا | Helia, Heliya | 0.8
عسل | Asal | 0.8
مهتاب | Mahtab | 0.8
سحر | Sahar | 1
دنیا | Donya, Dunya | 0.7
فروغ | Forough, Forugh | 0.5
"""
)

# Family names used as they are. A trailing * marks a sayyid family.
FAMILY = _table(
    """
حسینی | Hosseini, Hoseini, Husseini, Hosseiny | 6*
محمدی | Mohammadi, Mohamadi, Mohammady | 6
احمدی | Ahmadi, Ahmady | 4
رضایی, رضائی | Rezaei, Rezaee, Rezai, Rezayi | 4
موسوی | Mousavi, Musavi, Moosavi, Mosavi | 3*
کریمی | Karimi | 3
جعفری | Jafari, Ja'fari, Jafary | 3
هاشمی | Hashemi | 2*
قاسمی | Ghasemi, Qasemi | 2
صادقی | Sadeghi, Sadeqi | 2
مرادی | Moradi, Morady | 2.5
رحیمی | Rahimi | 2
رحمانی | Rahmani | 1.5
کاظمی | Kazemi, Kazimi | 1.5*
نوری | Nouri, Noori, Nuri | 1.5
خسروی | Khosravi | 1.5
ابراهیمی | Ebrahimi, Ibrahimi | 1.5
اکبری | Akbari | 1.5
یوسفی | Yousefi, Yusefi, Yoosefi | 1.5
امینی | Amini | 1.5
زارعی | Zarei, Zareei, Zare'i | 1.5
شریفی | Sharifi | 1
قربانی | Ghorbani, Qorbani | 1.5
طاهری | Taheri | 1
نجفی | Najafi | 1
باقری | Bagheri, Baqeri | 1.5
حیدری | Heydari, Heidari, Haidari | 1.5
سلیمانی | Soleimani, Soleymani | 1
عباسی | Abbasi | 1.5
ملکی | Maleki | 1
کرمی | Karami | 0.8
نظری | Nazari | 1
فرجی | Faraji | 0.8
رستمی | Rostami | 1
سلطانی | Soltani | 1
عزیزی | Azizi | 1
توکلی | Tavakoli, Tavakkoli | 0.7
قلیان | Gholian, Qolian | 0.2
بلوچ | Baloch, Baluch | 0.4
ریگی | Rigi | 0.4
بختیاری | Bakhtiari, Bakhtiyari | 0.4
کعبی | Kaabi, Ka'bi | 0.3
ساعدی | Saedi, Sa'edi | 0.3
کمانگر | Kamangar | 0.2
پاکزاد | Pakzad | 0.2
طباطبایی, طباطبائی | Tabatabaei, Tabatabai, Tabatabaee | 0.8*
میرزایی, میرزائی | Mirzaei, Mirzaee, Mirzai | 1.5
رحمتی | Rahmati | 0.7
بهرامی | Bahrami | 1
افشار | Afshar | 0.5
شجاعی | Shojaei, Shojaee | 0.6
"""
)

# Roots of compound family names, with their Latin spellings (Hassan + pour = Hassanpour).
ROOTS = _table(
    """
حسن | Hassan, Hasan | 1
حسین | Hossein, Hosein | 1
علی | Ali | 1
محمد | Mohammad, Mohamad | 1
احمد | Ahmad | 1
کریم | Karim | 1
رحیم | Rahim | 1
رضا | Reza | 1
جعفر | Jafar | 1
قاسم | Ghasem, Qasem | 1
عباس | Abbas | 1
یوسف | Yousef, Yusef | 1
ابراهیم | Ebrahim | 1
اسماعیل | Esmaeil, Esmail | 1
مهدی | Mahdi, Mehdi | 1
تقی | Taghi, Taqi | 1
نقی | Naghi, Naqi | 1
قلی | Gholi, Qoli | 1
ولی | Vali | 1
اکبر | Akbar | 1
اصغر | Asghar | 1
شاه | Shah | 1
خان | Khan | 1
امیر | Amir | 1
نور | Nour, Noor | 1
زمان | Zaman | 1
کاظم | Kazem | 1
صادق | Sadegh | 1
بهرام | Bahram | 1
رستم | Rostam | 1
حمید | Hamid | 1
مجید | Majid | 1
جواد | Javad | 1
مراد | Morad | 1
نصر | Nasr | 1
عزیز | Aziz | 1
شریف | Sharif | 1
رحمان | Rahman | 1
حبیب | Habib | 1
کمال | Kamal | 1
جلال | Jalal | 1
جمال | Jamal | 1
فضل | Fazl | 1
ستار | Sattar | 1
حیدر | Heydar, Heidar | 1
صفر | Safar | 1
رمضان | Ramezan, Ramazan | 1
شعبان | Shaban, Sha'ban | 1
رجب | Rajab | 1
نظر | Nazar | 1
باقر | Bagher, Baqer | 1
هاشم | Hashem | 1
سلیم | Salim | 1
کرم | Karam | 1
بهمن | Bahman | 1
فرج | Faraj | 1
منصور | Mansour, Mansoor | 1
سلطان | Soltan | 1
یزدان | Yazdan | 1
خدا | Khoda | 1
درویش | Darvish, Darvesh | 1
دهقان | Dehghan, Dehqan | 1
آهنگر | Ahangar | 1
نجار | Najjar, Najar | 1
کشاورز | Keshavarz | 1
باغبان | Baghban, Baqban | 1
صیاد | Sayyad, Sayad | 1
زرگر | Zargar | 1
خیاط | Khayyat, Khayat | 1
قنبر | Ghanbar, Qanbar | 1
نادر | Nader | 1
فتح | Fath | 1
کیان | Kian, Kiyan | 1
ایزد | Izad | 1
رحمت | Rahmat | 1
نعمت | Nemat, Ne'mat | 1
عسگر | Asgar, Askar | 1
یار | Yar | 1
بیگ | Beig, Beyg | 1
اسد | Asad | 1
شمس | Shams | 1
مظفر | Mozaffar, Mozafar | 1
طالب | Taleb | 1
غلام | Gholam, Qolam | 1
عبدالله | Abdollah, Abdolah | 1
فرهاد | Farhad | 1
خسرو | Khosro, Khosrow | 1
داوود | Davoud, Davood | 1
سهراب | Sohrab | 1
کیوان | Keyvan, Kayvan | 1
بهزاد | Behzad | 1
فرزاد | Farzad | 1
شهباز | Shahbaz | 1
نیک | Nik | 1
پاک | Pak | 1
رستگار | Rastegar | 1
جهان | Jahan | 1
گودرز | Goudarz, Godarz | 1
سیاوش | Siavash, Siyavash | 1
اسکندر | Eskandar | 1
قربان | Ghorban, Qorban | 1
سبحان | Sobhan | 1
ناصر | Naser, Nasser | 1
موسی | Mousa, Musa | 1
عیسی | Isa, Eisa | 1
یحیی | Yahya | 1
زکی | Zaki | 1
بیژن | Bijan, Bizhan | 1
جمشید | Jamshid | 1
فریدون | Fereydoun, Fereidoun | 1
کامران | Kamran | 1
مسعود | Masoud, Masood | 1
محسن | Mohsen | 1
مصطفی | Mostafa | 1
مرتضی | Morteza | 1
مختار | Mokhtar | 1
سالار | Salar | 1
آزاد | Azad | 1
صمد | Samad | 1
صالح | Saleh | 1
عادل | Adel | 1
فاضل | Fazel | 1
"""
)

# Suffixes of family names. A root ending in a vowel takes neither -i nor -ian here (Reza+i is Rezaei).
SUFFIXES = _table(
    """
ی | i | 3
یان | ian, iyan | 3
پور | pour, poor, pur | 3
زاده | zadeh, zade | 3
نژاد | nejad, nezhad | 1.5
نیا | nia | 1
فر | far | 0.7
وند | vand | 0.7
لو | lou, loo | 0.4
آبادی | abadi | 1
خانی | khani | 0.7
دوست | doost, dust | 0.5
پناه | panah | 0.5
منش | manesh | 0.4
بخش | bakhsh | 0.4
راد | rad | 0.5
کیا | kia | 0.4
"""
)

# Family names from places of origin: Tehrani, Shirazi ...
ORIGINS = _table(
    """
تهرانی | Tehrani | 1
شیرازی | Shirazi | 1
اصفهانی | Esfahani, Isfahani | 1
تبریزی | Tabrizi | 1
کرمانی | Kermani | 1
مشهدی | Mashhadi | 1
یزدی | Yazdi | 1
قزوینی | Ghazvini, Qazvini | 1
کاشانی | Kashani | 1
رشتی | Rashti | 1
همدانی | Hamedani, Hamadani | 1
کردستانی | Kordestani, Kurdistani | 1
زنجانی | Zanjani | 1
گیلانی | Gilani | 1
لاریجانی | Larijani | 1
"""
)

# Provinces and some of their cities (Latin, Persian). A record may give the city or only the province.
PROVINCES = {
    "Tehran": ["Tehran", "Eslamshahr", "Shahriar", "Varamin", "Pakdasht"],
    "Alborz": ["Karaj", "Fardis"],
    "Razavi Khorasan": ["Mashhad", "Neyshabur", "Sabzevar", "Torbat-e Heydarieh"],
    "Kurdistan": ["Sanandaj", "Saqqez", "Marivan", "Baneh", "Divandarreh"],
    "Kermanshah": ["Kermanshah", "Javanrud", "Eslamabad-e Gharb"],
    "Ilam": ["Ilam", "Malekshahi", "Abdanan", "Dehloran"],
    "Lorestan": ["Khorramabad", "Borujerd", "Aligudarz", "Azna"],
    "Isfahan": ["Isfahan", "Kashan", "Najafabad", "Shahinshahr"],
    "Fars": ["Shiraz", "Marvdasht", "Kazerun"],
    "Sistan and Baluchestan": ["Zahedan", "Chabahar", "Iranshahr", "Khash"],
    "Gilan": ["Rasht", "Bandar-e Anzali", "Lahijan"],
    "Khuzestan": ["Ahvaz", "Abadan", "Dezful", "Izeh", "Mahshahr"],
    "East Azerbaijan": ["Tabriz", "Maragheh", "Marand"],
    "West Azerbaijan": ["Urmia", "Mahabad", "Bukan", "Piranshahr", "Oshnavieh"],
    "Mazandaran": ["Sari", "Amol", "Babol"],
    "Hamadan": ["Hamadan", "Malayer"],
    "Zanjan": ["Zanjan"],
    "Qazvin": ["Qazvin"],
    "Yazd": ["Yazd"],
    "Kerman": ["Kerman", "Rafsanjan"],
    "Chaharmahal and Bakhtiari": ["Shahrekord", "Farsan"],
    "Kohgiluyeh and Boyer-Ahmad": ["Yasuj", "Dehdasht"],
    "Hormozgan": ["Bandar Abbas"],
    "Golestan": ["Gorgan", "Gonbad-e Kavus"],
    "Ardabil": ["Ardabil", "Meshginshahr"],
}
